package dev.gatehouse.model;

/**
 * One rule of the decided gate and how it came out, so a reviewer can see why a gate was allowed.
 *
 * @param rule the rule name
 * @param code the reason code the rule raises
 * @param status passed, failed or warned
 */
public record Check(String rule, String code, CheckStatus status) {}
