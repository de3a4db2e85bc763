/** Helper functions that rule files may call: glob matching, time comparison, contract parts. Pure and side-effect free. */
package dev.gatehouse.rules.functions;
