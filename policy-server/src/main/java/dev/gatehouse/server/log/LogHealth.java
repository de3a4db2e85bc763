package dev.gatehouse.server.log;

/**
 * Whether the decision log can take decisions, for readiness and metrics.
 *
 * @param writable false after a failed write, until a later write succeeds, and once closed
 * @param reason why it is not writable, or null when it is
 * @param queueDepth decisions waiting for or inside a group commit
 * @param queueCapacity the depth at which appends are refused with {@code log-overloaded}
 */
public record LogHealth(boolean writable, String reason, int queueDepth, int queueCapacity) {}
