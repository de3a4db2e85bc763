/**
 * The rule-file sandbox: an allow-list over the parsed structure and expressions of every rule file,
 * checked before Drools builds anything, and the DSL expansion it shares with lint and the DSL view.
 */
package dev.gatehouse.rules.drools.sandbox;
