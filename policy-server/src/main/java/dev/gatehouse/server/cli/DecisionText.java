package dev.gatehouse.server.cli;

import dev.gatehouse.model.Check;
import dev.gatehouse.model.CheckStatus;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.TraceStep;
import java.util.List;

/** Renders a decision as text for a terminal: outcome, reasons, the gate's checklist, the trace. */
final class DecisionText {

  private DecisionText() {}

  static String render(Decision d) {
    StringBuilder out = new StringBuilder();
    out.append(d.outcome()).append("  ").append(d.gate()).append(' ').append(d.subject())
        .append(" at ").append(d.at()).append('\n');
    out.append("policy ").append(d.policy().revision()).append(" (").append(d.policy().files()).append(" files)");
    if (d.workspace() != null) {
      out.append(", workspace ").append(d.workspace());
    }
    out.append(", ").append(d.durationMicros()).append(" µs\n");
    out.append("\nreasons:\n");
    if (d.reasons().isEmpty()) {
      out.append("  none\n");
    }
    for (Reason r : d.reasons()) {
      out.append("  ").append(r.severity().jsonName()).append(' ').append(r.code()).append(": ").append(r.message()).append('\n');
      out.append("      rule \"").append(r.rule()).append('"');
      if (!r.facts().isEmpty()) {
        out.append(" · facts ").append(String.join(", ", r.facts()));
      }
      out.append('\n');
      if (r.remedy() != null) {
        out.append("      remedy: ").append(r.remedy()).append('\n');
      }
    }
    if (!d.sources().isEmpty()) {
      out.append("\nfacts:\n");
      d.sources().forEach((ref, source) -> out.append("  ").append(ref).append("  from ").append(source).append('\n'));
    }
    if (!d.ignored().isEmpty()) {
      out.append("\nignored (set aside before the rules ran):\n");
      d.ignored().forEach(i -> out.append("  ").append(i.ref()).append("  ").append(i.why()).append('\n'));
    }
    out.append("\nchecks:\n");
    if (d.checks().isEmpty()) {
      out.append("  none (the gate has no rules)\n");
    }
    for (Check c : d.checks()) {
      out.append("  ").append(mark(c.status())).append(' ').append(c.rule())
          .append(" (").append(c.code()).append(")\n");
    }
    out.append(trace(d.trace()));
    return out.toString();
  }

  static String trace(List<TraceStep> trace) {
    StringBuilder out = new StringBuilder("\ntrace:\n");
    if (trace.isEmpty()) {
      out.append("  no rule fired\n");
    }
    for (TraceStep step : trace) {
      out.append(String.format("  %2d. %s  %s:%d", step.seq(), step.rule(), step.file(), step.line()));
      if (!step.facts().isEmpty()) {
        out.append("  [").append(String.join(", ", step.facts())).append(']');
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String mark(CheckStatus status) {
    return switch (status) {
      case PASSED -> "[pass]";
      case FAILED -> "[FAIL]";
      case WARNED -> "[warn]";
    };
  }
}
