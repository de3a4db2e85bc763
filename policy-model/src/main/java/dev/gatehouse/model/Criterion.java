package dev.gatehouse.model;

/**
 * One acceptance criterion of an issue: the author's text and whether it is checked.
 *
 * @param text the criterion as written
 * @param done whether it is checked ({@code - [x]})
 */
public record Criterion(String text, boolean done) {}
