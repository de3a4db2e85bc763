/** Lint of a compiled policy set: metadata rules lack, codes no test expects, DSL nobody uses. */
package dev.gatehouse.rules.lint;
