/**
 * Helper functions that rule files may call (glob matching, time comparison, contract parts and
 * digests, touched paths, approvals, doubts, loose words), pure and side-effect free, and the
 * {@code Issues} a rule collects the issues into, which Drools fills and rules only read.
 */
package dev.gatehouse.rules.functions;
