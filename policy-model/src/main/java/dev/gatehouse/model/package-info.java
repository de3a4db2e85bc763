/** Governance facts, decision requests and decisions: immutable values shared by the engine, the server and the CLI. */
package dev.gatehouse.model;
