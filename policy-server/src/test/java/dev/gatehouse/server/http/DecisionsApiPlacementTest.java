package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where decisions run ({@link DecisionPlacement}), seen from outside: the event-loop counters in
 * {@code /metrics}, and answers that do not depend on where they were made.
 */
class DecisionsApiPlacementTest {

  /** The {@code audit} gate: quick, but slow for subject SLOW and failing for subject THROW. */
  static final String AUDIT = """
      package gates;

      import dev.gatehouse.model.Request;
      import function dev.gatehouse.rules.drools.RuleActions.deny;

      // Quick for every subject but two: SLOW makes the engine match 40 x 40 x 40 triples (milliseconds on
      // a quick machine, far within the evaluation's bounds), THROW makes a rule divide by zero.
      rule "a slow subject is looked at from every side"
        @gate("audit") @code("audit-slow") @description("matches every triple of 40 x 40 x 40 numbers for subject SLOW")
      when
        $request : Request( gate == "audit", subject == "SLOW" )
        $a : Integer() from java.util.List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)
        $b : Integer() from java.util.List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)
        $c : Integer( this + $a + $b < 0 ) from java.util.List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)
      then
        deny(kcontext, "never");
      end

      rule "a throwing subject breaks the rule"
        @gate("audit") @code("audit-throws") @description("divides by zero for subject THROW")
      when
        $request : Request( gate == "audit", subject == "THROW" )
      then
        deny(kcontext, "never " + 1 / ($request.gate().length() - $request.gate().length()));
      end
      """;

  /** The {@code survey} gate: every decision slow, as {@code audit} is for SLOW. */
  static final String SURVEY = """
      package gates;

      import dev.gatehouse.model.Request;
      import function dev.gatehouse.rules.drools.RuleActions.deny;

      rule "every subject is looked at from every side"
        @gate("survey") @code("survey-slow") @description("matches every triple of 40 x 40 x 40 numbers")
      when
        $request : Request( gate == "survey" )
        $a : Integer() from java.util.List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)
        $b : Integer() from java.util.List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)
        $c : Integer( this + $a + $b < 0 ) from java.util.List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)
      then
        deny(kcontext, "never");
      end
      """;

  @TempDir static Path policies;
  static RunningServer server;

  @BeforeAll
  static void start() {
    TestPolicies.executeGate(policies);
    TestPolicies.write(policies, "gates/survey.drl", SURVEY);
    server = RunningServer.start(TestPolicies.write(policies, "gates/audit.drl", AUDIT));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aQuickGateIsDecidedOnTheEventLoopOnceWarmWithTheSameAnswer() {
    JsonNode first = decide(TestPolicies.ALLOW_REQUEST);
    warm("execute", TestPolicies.ALLOW_REQUEST);

    double before = eventLoop("execute");
    JsonNode onEventLoop = decide(TestPolicies.ALLOW_REQUEST);
    assertThat(eventLoop("execute")).as("decided on the event loop").isEqualTo(before + 1);
    // The same decision wherever it was made, but for its own id and how long it took.
    assertThat(withoutIdAndDuration(onEventLoop)).isEqualTo(withoutIdAndDuration(first));
  }

  @Test
  void aSlowGateStaysOnTheWorkers() {
    String slow = TestPolicies.request("survey", "X-1", false);
    for (int i = 0; i < DecisionPlacement.STREAK + 4; i++) {
      assertThat(decide(slow).path("outcome").asText()).isEqualTo("ALLOW");
    }
    // Every one of them took more than the budget, so none ever ran on an event loop, where each
    // would have held every other connection of that loop.
    assertThat(eventLoop("survey")).isZero();
    assertThat(overruns("survey")).isZero();
  }

  @Test
  void anOverrunSendsItsGateBackToTheWorkersUntilItIsQuickAgain() {
    warm("audit", TestPolicies.request("audit", "QUICK", false));
    double overruns = overruns("audit");
    double onEventLoop = eventLoop("audit");

    String slow = TestPolicies.request("audit", "SLOW", false);
    decide(slow);
    assertThat(eventLoop("audit")).as("the first slow one ran on the event loop").isEqualTo(onEventLoop + 1);
    assertThat(overruns("audit")).isEqualTo(overruns + 1);

    decide(slow);
    decide(TestPolicies.request("audit", "QUICK", false));
    assertThat(eventLoop("audit")).as("the next ones ran on the workers").isEqualTo(onEventLoop + 1);
    assertThat(overruns("audit")).isEqualTo(overruns + 1);
  }

  @Test
  void aRuleThatFailsOnTheEventLoopStillDenies() {
    warm("audit", TestPolicies.request("audit", "QUICK", false));
    double before = eventLoop("audit");

    JsonNode decision = decide(TestPolicies.request("audit", "THROW", false));

    assertThat(eventLoop("audit")).isEqualTo(before + 1);
    assertThat(decision.path("outcome").asText()).isEqualTo("DENY");
    assertThat(decision.path("reasons").get(0).path("code").asText()).isEqualTo("evaluation-error");
  }

  @Test
  void aRequestThatCannotBeReadIsRefusedOnTheEventLoopAsBefore() {
    HttpResponse<Buffer> response = server.postJson("/v1/decisions", "{\"gate\": \"execute\", \"subject\": 7}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("error").path("path").asText()).isEqualTo("subject");
  }

  @Test
  void aLargeRequestIsDecidedOnAWorker() {
    warm("execute", TestPolicies.ALLOW_REQUEST);
    String large = TestPolicies.ALLOW_REQUEST.strip() + " ".repeat(DecisionPlacement.MAX_BODY);
    double before = eventLoop("execute");

    assertThat(decide(large).path("outcome").asText()).isEqualTo("ALLOW");
    assertThat(eventLoop("execute")).isEqualTo(before);
  }

  /**
   * Decides {@code request} until one ran on the event loop within the budget, so that the next
   * one runs there too (a cold JVM may take some overruns first).
   */
  private static void warm(String gate, String request) {
    for (int i = 0; i < 5_000; i++) {
      double before = eventLoop(gate);
      double overrunsBefore = overruns(gate);
      decide(request);
      if (eventLoop(gate) > before && overruns(gate) == overrunsBefore) {
        return;
      }
    }
    throw new AssertionError("gate " + gate + " never reached the event loop");
  }

  private static JsonNode decide(String request) {
    HttpResponse<Buffer> response = server.postJson("/v1/decisions", request);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return json(response);
  }

  private static JsonNode withoutIdAndDuration(JsonNode decision) {
    ObjectNode copy = decision.deepCopy();
    copy.remove("decisionId");
    copy.remove("durationMicros");
    return copy;
  }

  private static double eventLoop(String gate) {
    return counter("gatehouse_decisions_event_loop_total", gate);
  }

  private static double overruns(String gate) {
    return counter("gatehouse_decisions_event_loop_overruns_total", gate);
  }

  private static double counter(String name, String gate) {
    Matcher value = Pattern.compile("(?m)^" + name + "\\{gate=\"" + gate + "\"} (\\S+)$")
        .matcher(server.get("/metrics").bodyAsString());
    return value.find() ? Double.parseDouble(value.group(1)) : 0;
  }
}
