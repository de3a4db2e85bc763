/**
 * Lint of a compiled policy set: metadata rules lack (a remedy included), placeholders a rule cannot
 * show, codes no test expects, DSL nobody uses.
 */
package dev.gatehouse.rules.lint;
