package dev.gatehouse.server.log;

/**
 * What the writer has committed since the log was opened, for metrics: the mean batch is {@code
 * decisions / commits}, the mean commit time {@code nanos / commits}.
 *
 * @param commits group commits that succeeded
 * @param decisions decisions they wrote (not those a commit refused, such as a duplicate id)
 * @param nanos time spent writing and committing them
 */
public record LogCommits(long commits, long decisions, long nanos) {}
