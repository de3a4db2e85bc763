package dev.gatehouse.bench;

import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Facts;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.openjdk.jol.info.GraphLayout;

/**
 * The heap one active policy revision holds, and what each resident workspace session costs, as
 * JOL counts the object graphs reachable from them (and, as a cross-check, the used heap after full
 * collections).
 *
 * <p>Usage: {@code java -cp ... dev.gatehouse.bench.MemoryReport POLICIES WORKSPACE [AT]} where
 * WORKSPACE is a directory or {@code generated-N} ({@link GeneratedWorkspace}).
 *
 * <p>What is measured, in order: the compiled set before any decision; the loaded workspace (its
 * facts and indexes); the set after one decision per gate on fresh (pooled) sessions, as every
 * decision without a workspace runs; then one decision per gate with the workspace's facts
 * resident: each gate's resident session is what that decision added to the set's graph, less the
 * standing facts (the workspace holds them anyway). Run with {@code -Djol.magicFieldOffset=true} on
 * JDK 17 (JOL cannot otherwise read fields of hidden classes such as lambdas).
 */
public final class MemoryReport {

  private MemoryReport() {}

  public static void main(String[] args) throws Exception {
    Path policies = Path.of(args[0]);
    String workspaceArg = args[1];
    Instant at = args.length > 2 ? Instant.parse(args[2]) : Instant.parse("2026-06-02T10:00:00Z");
    Path dir = Path.of(workspaceArg);
    String subject = "DEMO-101";
    if (workspaceArg.startsWith("generated-")) {
      dir = GeneratedWorkspace.write(Files.createTempDirectory("gatehouse-memory-ws"),
          Integer.parseInt(workspaceArg.substring("generated-".length())));
      subject = GeneratedWorkspace.id(2);
      at = Instant.parse("2027-06-01T00:00:00Z");
    }
    long heapBase = usedAfterGc();
    PolicySet set = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT, Duration.ofMinutes(10))
        .compile(PolicyFiles.read(policies)).policySet().orElseThrow();
    long heapSet = usedAfterGc();
    row("policy set, compiled, no decision yet", GraphLayout.parseInstance(set).totalSize(), heapSet - heapBase);

    Workspace workspace = WorkspaceLoader.load(dir);
    long heapWorkspace = usedAfterGc();
    long standing = GraphLayout.parseInstance(workspace.standing()).totalSize();
    row("workspace " + workspaceArg + " " + workspace.counts(), GraphLayout.parseInstance(workspace).totalSize(),
        heapWorkspace - heapSet);
    row("  of which its standing facts (sorted, dated)", standing, 0);

    for (String gate : set.gates()) {
      set.evaluate(new DecisionRequest(gate, subject, at, "cto-harness", false, workspace.facts()));
    }
    long pooled = GraphLayout.parseInstance(set).totalSize();
    long heapPooled = usedAfterGc();
    row("policy set after one fresh decision per gate (" + set.gates().size() + " pooled sessions)", pooled,
        heapPooled - heapWorkspace);

    // JOL sizes whole graphs: what a resident session adds is the set's graph after its first
    // decision less the graph before, less the standing facts it now also reaches (the workspace
    // holds those anyway). Identity cannot be compared across graphs (a collection moves objects).
    long before = pooled;
    long total = 0;
    for (String gate : set.gates()) {
      set.evaluate(new DecisionRequest(gate, subject, at, "cto-harness", false, Facts.EMPTY), workspace.standing());
      long after = GraphLayout.parseInstance(set).totalSize();
      long added = after - before - (total == 0 ? standing : 0);
      row("resident session of gate " + gate, added, 0);
      total += added;
      before = after;
    }
    long heapResident = usedAfterGc();
    row("all resident sessions (one per gate)", total, heapResident - heapPooled);
    // Keep everything reachable until the last measurement.
    if (set.hashCode() == workspace.hashCode()) {
      System.out.println();
    }
  }

  private static void row(String what, long bytes, long heapDelta) {
    System.out.printf("%-72s %,14d bytes%s%n", what, bytes,
        heapDelta == 0 ? "" : String.format("   (used heap after full GCs: %+,d)", heapDelta));
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
