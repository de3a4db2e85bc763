/** Re-evaluating logged decisions against a policy set and reporting what would change. */
package dev.gatehouse.server.replay;
