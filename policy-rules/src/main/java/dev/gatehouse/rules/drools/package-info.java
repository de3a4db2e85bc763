/**
 * The only package that touches Drools: compiling rule files into a KieBase, evaluating a request
 * in a short-lived session, and turning firings into the project's own trace and reason types.
 */
package dev.gatehouse.rules.drools;
