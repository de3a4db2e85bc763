package dev.gatehouse.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes a workspace of {@code n} issues shaped like the demo's, for benchmarks and memory figures:
 * a planning file with every issue (each blocked by the one before, which is validated, three
 * criteria), and per issue a task contract, a run through the harness, three pieces of evidence,
 * and for every even (HITL) issue but every fourth an execute approval by JP; ten admitted
 * repositories. {@code GEN-00001} (AFK, ready, everything in place) and {@code GEN-00002} (HITL,
 * approved) may execute; {@code GEN-00004} may not (no approval, a blocker not validated).
 */
public final class GeneratedWorkspace {

  private GeneratedWorkspace() {}

  /** Writes the workspace into {@code dir} (created if need be) and returns it. */
  public static Path write(Path dir, int n) throws IOException {
    Files.createDirectories(dir.resolve("planning"));
    Instant base = Instant.parse("2026-05-01T00:00:00Z");
    StringBuilder planning = new StringBuilder();
    planning.append("---\nname: generated\ntier: local\nstatus: draft\nowner: bench\ncreated: 2026-05-01\n"
        + "description: A generated workspace of ").append(n).append(" issues.\n---\n# Generated issues\n## Issue Sequence\n");
    StringBuilder contracts = new StringBuilder("contracts:\n");
    StringBuilder runs = new StringBuilder("runs:\n");
    StringBuilder evidence = new StringBuilder("evidence:\n");
    StringBuilder approvals = new StringBuilder("approvals:\n");
    StringBuilder admissions = new StringBuilder("admissions:\n");
    for (int r = 0; r < 10; r++) {
      admissions.append("  - {repository: gen/repo-").append(r).append(", status: admitted, reviewedAt: ")
          .append(base).append(", expiresAt: 2027-12-31T00:00:00Z, referencesSecrets: false}\n");
    }
    for (int i = 1; i <= n; i++) {
      String id = id(i);
      boolean hitl = i % 2 == 0;
      // Every issue after the first is blocked by the one before; the odd ones before the last are validated.
      String status = i == 1 || i == 2 || i == 3 ? "ready" : (i % 5 == 0 ? "validated" : "candidate");
      Instant mutated = base.plusSeconds(3_600L * i);
      planning.append("### ").append(id).append(" - Generated issue ").append(i).append('\n')
          .append("Type: ").append(hitl ? "HITL" : "AFK").append('\n')
          .append("Status: ").append(status).append(".\n")
          .append("Blocked by: ").append(i > 3 ? id(i - 1) : "none").append('\n')
          .append("What to build: Change number ").append(i).append(".\n")
          .append("Acceptance criteria:\n")
          .append("- [x] The first part is done.\n- [x] The second part is done.\n- [")
          .append(i % 3 == 0 ? ' ' : 'x').append("] The third part is done.\n")
          .append("Validator: `mvn -q verify`\n");
      if (hitl) {
        planning.append("Human gate: JP must approve the change before execution.\n");
      }
      String repository = "gen/repo-" + (i % 10);
      contracts.append("  - {issue: ").append(id).append(", repository: ").append(repository)
          .append(", allowedPaths: [\"src/**\"], forbiddenPaths: [\".github/**\"], forbiddenActions: [force-push],")
          .append(" successCriteria: [tests pass], validationCommand: mvn -q verify, rollback: git revert}\n");
      runs.append("  - {id: R-").append(i).append(", issue: ").append(id)
          .append(", via: cto-harness, runtimeDefaultActivation: false, firstMutationAt: ").append(mutated)
          .append(", touchedPaths: [src/main/java/gen/C").append(i).append(".java]}\n");
      String[] kinds = {"harness-artifact", "validator-run", "replay-path"};
      for (int k = 0; k < kinds.length; k++) {
        evidence.append("  - {id: E-").append(i).append('-').append(k).append(", issue: ").append(id)
            .append(", kind: ").append(kinds[k]).append(", path: runs/R-").append(i).append("/").append(k)
            .append(", passed: true, phase: after-run, recordedAt: ").append(mutated.plusSeconds(60L * (k + 1)))
            .append("}\n");
      }
      if (hitl && i % 4 != 0) {
        approvals.append("  - {id: A-").append(i).append(", issue: ").append(id)
            .append(", approver: JP, scope: execute, statement: I approve, recordedAt: ")
            .append(mutated.minusSeconds(600)).append("}\n");
      }
    }
    Files.writeString(dir.resolve("planning/GENERATED.md"), planning, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("contracts.yaml"), contracts, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("runs.yaml"), runs, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("evidence.yaml"), evidence, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("approvals.yaml"), approvals, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("admissions.yaml"), admissions, StandardCharsets.UTF_8);
    return dir;
  }

  /** The id of the {@code i}th issue, from 1. */
  public static String id(int i) {
    return String.format("GEN-%05d", i);
  }
}
