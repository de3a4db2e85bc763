/** The engine's public API: policy files, compiling them into a policy set, and evaluating requests. */
package dev.gatehouse.rules;
