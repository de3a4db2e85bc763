/**
 * Policy revisions other than the one deciding now — candidates the server compiled, revisions the
 * decision log keeps — read back as their rule files and rules, and how two revisions differ.
 */
package dev.gatehouse.server.policies;
