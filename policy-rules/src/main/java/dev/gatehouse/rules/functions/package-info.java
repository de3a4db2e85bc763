/** Helper functions that rule files may call: glob matching and time comparison. Pure and side-effect free. */
package dev.gatehouse.rules.functions;
