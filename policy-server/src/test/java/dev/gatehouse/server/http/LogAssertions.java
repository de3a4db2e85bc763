package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gatehouse.model.json.Json;

/** What the decision log promises a reader of {@code GET /v1/decisions/{id}}. */
final class LogAssertions {

  private LogAssertions() {}

  /**
   * The detail's {@code decision} member is the answer: equal as JSON, and its raw text is the
   * answer's body verbatim, byte for byte.
   */
  static void assertLoggedAsAnswered(String detail, String answered) {
    try {
      assertThat(Json.mapper().readTree(detail).path("decision")).isEqualTo(Json.mapper().readTree(answered));
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + e.getOriginalMessage(), e);
    }
    assertThat(detail).as("the logged decision's text").contains("\"decision\":" + answered);
  }
}
