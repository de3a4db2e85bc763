/** Policy tests as data: YAML or JSON suites of requests with expected outcomes, loaded and run against a policy set. */
package dev.gatehouse.rules.testing;
