package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploying policies to a running server: a rule file caught half-written is never activated, and
 * a release directory switched in by a symbolic link is.
 */
class PolicyDeployTest {

  // Compiling the bundled set takes a few seconds on a loaded machine.
  private static final Duration RELOAD = Duration.ofSeconds(60);
  private static final String THIRD_RULE = "rule \"merging needs no operator rejection after the last acceptance\"";
  /** DEMO-105 has an operator acceptance, a later rejection and a failed health check: merge denies it. */
  private static final String MERGE_DEMO_105 =
      "{\"gate\": \"merge\", \"subject\": \"DEMO-105\", \"at\": \"2026-06-02T10:00:00Z\", \"actor\": \"cto-harness\"}";
  /** DEMO-105's shape with a passing health check (its facts in NEW_105 below): only the rejection rule denies it. */
  private static final String MERGE_REJECTED =
      "{\"gate\": \"merge\", \"subject\": \"NEW-105\", \"at\": \"2026-06-02T10:00:00Z\", \"actor\": \"cto-harness\"}";
  /** A workspace file for NEW-105: operator records come only from the workspace. */
  private static final String NEW_105 = """
      issues: [{id: NEW-105, title: rename the report columns, type: AFK, status: ready}]
      runs:
        - {id: N-run, issue: NEW-105, via: cto-harness, runtimeDefaultActivation: false,
           firstMutationAt: "2026-06-01T10:00:00Z", touchedPaths: [src/Columns.java]}
      evidence:
        - {id: N-accept, issue: NEW-105, kind: operator-acceptance, path: reviews/a.md, passed: true, phase: after-run,
           recordedAt: "2026-06-01T13:00:00Z"}
        - {id: N-reject, issue: NEW-105, kind: operator-rejection, path: reviews/b.md, passed: false, phase: after-run,
           recordedAt: "2026-06-01T16:00:00Z"}
        - {id: N-health, issue: NEW-105, kind: health-check, path: runs/health.json, passed: true, phase: before-merge,
           recordedAt: "2026-06-01T17:00:00Z"}
      """;

  @TempDir Path dir;

  @Test
  void aRuleFileStillBeingWrittenIsNeverActivated() throws Exception {
    String bundled = System.getProperty("gatehouse.policies");
    assertThat(bundled).as("the bundled policy set (system property gatehouse.policies)").isNotNull();
    Path policies = dir.resolve("policies");
    Map<String, byte[]> files = new TreeMap<>(PolicyFiles.read(Path.of(bundled)).files());
    files.forEach((file, bytes) -> TestPolicies.write(policies, file, new String(bytes, StandardCharsets.UTF_8)));
    String merge = new String(files.get("merge.dslr"), StandardCharsets.UTF_8);
    // The new release of merge.dslr: the same rules, a different revision.
    String next = merge.replace("// The merge gate:", "// Release 2. The merge gate:");
    // What a reader sees while a writer copies it: the first two rules only, which ALLOW DEMO-105.
    String truncated = next.substring(0, next.indexOf(THIRD_RULE));
    String whole = revision(files, "merge.dslr", next);
    String half = revision(files, "merge.dslr", truncated);
    Path workspace = WorkspaceApiTest.copyOfDemo(dir.resolve("workspace"));
    java.nio.file.Files.writeString(workspace.resolve("new-105.yaml"), NEW_105);
    ServerConfig config = ServerConfig.defaults(policies).withPort(0).withWorkspace(workspace)
        .withSettle(Duration.ofMillis(1000)).withTokens(Tokens.all());

    try (RunningServer server = RunningServer.start(config)) {
      String first = json(server.get("/v1/policies", Tokens.READER)).path("revision").asText();
      assertThat(decide(server, MERGE_DEMO_105).path("outcome").asText()).isEqualTo("DENY");
      assertThat(decide(server, MERGE_REJECTED).path("outcome").asText()).isEqualTo("DENY");

      // A writer that keeps writing, a chunk every 250 ms (well within the 1 s settle interval),
      // for longer than the settle interval in all.
      List<String> chunks = chunks(next.substring(truncated.length()), 5);
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        write(policies.resolve("merge.dslr"), truncated, StandardOpenOption.TRUNCATE_EXISTING);
        for (String chunk : chunks) {
          pause(250);
          write(policies.resolve("merge.dslr"), chunk, StandardOpenOption.APPEND);
        }
      });

      List<JsonNode> seen = new ArrayList<>();
      Polling.await(RELOAD, "the whole merge.dslr activated", () -> {
        seen.add(decide(server, MERGE_DEMO_105));
        JsonNode decision = decide(server, MERGE_REJECTED);
        seen.add(decision);
        return decision;
      }, d -> d.path("policy").path("revision").asText().equals(whole));
      writer.get();

      assertThat(seen).extracting(d -> d.path("policy").path("revision").asText()).containsOnly(first, whole);
      assertThat(seen).extracting(d -> d.path("outcome").asText()).containsOnly("DENY");
      assertThat(server.metric("gatehouse_policy_activations_total")).isEqualTo(2.0);

      // The half-written set is what the test says it is: left alone long enough, it is activated
      // and ALLOWs a merge that only its missing rule denies.
      write(policies.resolve("merge.dslr"), truncated, StandardOpenOption.TRUNCATE_EXISTING);
      // Waits for an ALLOW, not the set's first answer: in this tree the first decision on this
      // truncated set fails with an engine evaluation-error (a DENY) and later ones ALLOW.
      JsonNode allowed = Polling.await(RELOAD, "the truncated merge.dslr activated and allowing",
          () -> decide(server, MERGE_REJECTED),
          d -> d.path("policy").path("revision").asText().equals(half) && d.path("outcome").asText().equals("ALLOW"));
      assertThat(allowed.path("checks")).extracting(c -> c.path("code").asText())
          .containsExactly("issue-unknown", "acceptance-missing");
    }
  }

  @Test
  void aPolicyDirectorySwitchedByASymbolicLinkLoadsTheNewTarget() throws IOException {
    Path v1 = TestPolicies.executeGate(dir.resolve("releases/v1"));
    Path v2 = TestPolicies.write(TestPolicies.executeGate(dir.resolve("releases/v2")), "gates/merge.drl", TestPolicies.MERGE);
    Path policies = Files.createSymbolicLink(dir.resolve("policies"), Path.of("releases/v1"));
    ServerConfig config = ServerConfig.defaults(policies).withPort(0).withSettle(Duration.ofMillis(1000));

    try (RunningServer server = RunningServer.start(config)) {
      JsonNode first = json(server.get("/v1/policies"));
      assertThat(first.path("revision").asText()).isEqualTo(PolicyFiles.read(v1).revision());
      assertThat(first.path("gates")).extracting(JsonNode::asText).containsExactly("execute");

      // ln -s releases/v2 policies.new && mv -T policies.new policies: one rename, atomic.
      Path link = Files.createSymbolicLink(dir.resolve("policies.new"), Path.of("releases/v2"));
      Files.move(link, policies, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

      String second = PolicyFiles.read(v2).revision();
      server.awaitPolicies(null, Duration.ofSeconds(10), p -> p.path("revision").asText().equals(second));
      JsonNode merge = json(server.postJson("/v1/decisions", TestPolicies.request("merge", "X-1", true)));
      assertThat(merge.path("reasons").get(0).path("code").asText()).isEqualTo("merge-frozen");

      // The new target is the one watched now: an edit under it is picked up too.
      TestPolicies.write(v2, "gates/merge.drl", TestPolicies.MERGE.replace("merges are frozen\")", "merges are closed\")"));
      server.awaitPolicies(null, Duration.ofSeconds(10), p -> !p.path("revision").asText().equals(second));
      assertThat(json(server.postJson("/v1/decisions", TestPolicies.request("merge", "X-1", true)))
          .path("reasons").get(0).path("message").asText()).isEqualTo("merges are closed");
    }
  }

  /** A decision asked with a token that may bring the request's own facts beside the workspace's. */
  private static JsonNode decide(RunningServer server, String request) {
    return json(server.postJson("/v1/decisions", request, Tokens.FEEDER));
  }

  private static String revision(Map<String, byte[]> files, String file, String text) {
    Map<String, byte[]> changed = new TreeMap<>(files);
    changed.put(file, text.getBytes(StandardCharsets.UTF_8));
    return PolicyFiles.of(changed).revision();
  }

  private static List<String> chunks(String text, int n) {
    List<String> chunks = new ArrayList<>();
    int size = (text.length() + n - 1) / n;
    for (int i = 0; i < text.length(); i += size) {
      chunks.add(text.substring(i, Math.min(text.length(), i + size)));
    }
    return chunks;
  }

  private static void write(Path file, String text, StandardOpenOption mode) {
    try {
      Files.writeString(file, text, StandardOpenOption.WRITE, mode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The writer's pace: what makes it slow, not a wait for the server. */
  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
