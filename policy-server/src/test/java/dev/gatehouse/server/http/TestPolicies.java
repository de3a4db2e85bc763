package dev.gatehouse.server.http;

import dev.gatehouse.rules.PolicyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small self-contained policy sets for server tests, written into a temporary directory. */
final class TestPolicies {

  /**
   * The bundled default policy set, which the build names in {@code gatehouse.policies}. Missing is
   * a failure, not a skip: tests that need it must not pass by not running.
   */
  static Path bundled() {
    String bundled = System.getProperty("gatehouse.policies");
    if (bundled == null || !Files.isDirectory(Path.of(bundled))) {
      throw new AssertionError("the bundled policy set is not at gatehouse.policies=" + bundled
          + ": run the tests through Maven, which sets it");
    }
    return Path.of(bundled);
  }

  /** A copy of the bundled policy set's rule files in {@code dir}, for tests that edit or move them; returns {@code dir}. */
  static Path copyOfBundled(Path dir) {
    try {
      PolicyFiles.read(bundled()).files().forEach((file, bytes) ->
          write(dir, file, new String(bytes, StandardCharsets.UTF_8)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One gate, {@code execute}, that denies {@code issue-unknown} unless the subject is a known issue. */
  static final String EXECUTE = """
      package gates;

      import dev.gatehouse.model.Request;
      import dev.gatehouse.model.Issue;
      import function dev.gatehouse.rules.drools.RuleActions.deny;

      rule "subject must be a known issue"
        @gate("execute") @code("issue-unknown") @description("the subject names a known issue")
      when
        $request : Request( gate == "execute" )
        not Issue( id == $request.subject )
      then
        deny(kcontext, "[request.subject] is not a known issue");
      end
      """;

  /** A second gate, {@code merge}, that always denies {@code merge-frozen}. */
  static final String MERGE = """
      package gates;

      import dev.gatehouse.model.Request;
      import function dev.gatehouse.rules.drools.RuleActions.deny;

      rule "merges are frozen"
        @gate("merge") @code("merge-frozen")
      when
        $request : Request( gate == "merge" )
      then
        deny(kcontext, "merges are frozen");
      end
      """;

  /** A rule over a fact type that does not exist. */
  static final String BROKEN = """
      package gates;

      rule "matches an unknown fact"
        @gate("execute") @code("never")
      when
        Nonexistent( )
      then
      end
      """;

  static final String ALLOW_REQUEST = """
      {"gate": "execute", "subject": "X-1", "at": "2026-06-02T10:00:00Z", "actor": "cto-harness",
       "facts": {"issues": [{"id": "X-1", "title": "a known issue", "type": "AFK", "status": "ready"}]}}
      """;

  static final String DENY_REQUEST = """
      {"gate": "execute", "subject": "X-2", "at": "2026-06-02T10:00:00Z", "actor": "cto-harness",
       "facts": {"issues": [{"id": "X-1", "type": "AFK"}]}}
      """;

  private TestPolicies() {}

  /**
   * A request at {@code gate} about {@code subject}, which the request's facts name as an issue
   * when {@code known}: the execute gate allows it then and denies it otherwise; merge always denies.
   */
  static String request(String gate, String subject, boolean known) {
    String facts = known ? "{\"issues\": [{\"id\": \"" + subject + "\", \"type\": \"AFK\"}]}" : "{}";
    return "{\"gate\": \"" + gate + "\", \"subject\": \"" + subject + "\", \"at\": \"2026-06-02T10:00:00Z\","
        + " \"actor\": \"cto-harness\", \"facts\": " + facts + "}";
  }

  /** A policy directory holding the execute gate. */
  static Path executeGate(Path dir) {
    return write(dir, "gates/execute.drl", EXECUTE);
  }

  /** Writes {@code text} to {@code relative} under {@code dir}; returns {@code dir}. */
  static Path write(Path dir, String relative, String text) {
    try {
      Path file = dir.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
