package dev.gatehouse.model;

/**
 * A fact set aside before the rules ran, so that it could neither open nor close the gate.
 *
 * @param ref the fact's ref
 * @param why why, e.g. {@code recorded at 2026-06-03T09:00:00Z, after the request's at}
 */
public record Ignored(String ref, String why) {}
