/**
 * The only package that touches Drools: compiling rule files into one KieBase per gate (or loading
 * a revision compiled before from the compile cache), evaluating a request in a pooled session of
 * the asked gate's base (or, with a workspace, in a session that keeps the workspace's facts
 * resident between decisions), and turning firings into the project's own trace and reason types.
 */
package dev.gatehouse.rules.drools;
