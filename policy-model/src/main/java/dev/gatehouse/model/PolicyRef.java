package dev.gatehouse.model;

/**
 * The policy set a decision was made with.
 *
 * @param revision {@code sha256:} over the sorted relative paths and contents of the rule files
 * @param files the number of rule files
 */
public record PolicyRef(String revision, int files) {}
