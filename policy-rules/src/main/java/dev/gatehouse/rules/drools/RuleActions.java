package dev.gatehouse.rules.drools;

import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Severity;
import dev.gatehouse.rules.MessageTemplate;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.kie.api.event.rule.AgendaEventListener;
import org.kie.api.runtime.rule.Match;
import org.kie.api.runtime.rule.RuleContext;

/**
 * What a rule's consequence may do: deny or warn. Rule files import these with
 * {@code import function dev.gatehouse.rules.drools.RuleActions.deny;} and call
 * {@code deny(kcontext, "message")}; the code, the rule name and the fact refs come from the rule's
 * metadata and match, so a rule only writes the message.
 *
 * <p>A message may name bound facts in brackets: {@code [issue]} renders the fact bound to
 * {@code $issue} by its id, {@code [issue.status]} one of its fields, {@code [request.at]} the time.
 */
public final class RuleActions {

  private static final Map<String, Method> ACCESSORS = new ConcurrentHashMap<>();
  private static final Map<String, MessageTemplate> TEMPLATES = new ConcurrentHashMap<>();
  // Messages come from rule files; the bound only stops endless reloads of edited texts growing it.
  private static final int MAX_CACHED = 10_000;

  private RuleActions() {}

  /** Denies the gate with this rule's code and {@code message}. */
  public static void deny(RuleContext context, String message) {
    raise(context, Severity.DENY, message);
  }

  /** Warns with this rule's code and {@code message}; a warning never denies. */
  public static void warn(RuleContext context, String message) {
    raise(context, Severity.WARN, message);
  }

  private static void raise(RuleContext context, Severity severity, String message) {
    Match match = context.getMatch();
    for (AgendaEventListener listener : context.getKieRuntime().getAgendaEventListeners()) {
      if (listener instanceof Firings firings) {
        firings.raise(match, severity, render(match, message));
        return;
      }
    }
    throw new IllegalStateException("rule '" + context.getRule().getName() + "' raised a reason outside an evaluation");
  }

  static String render(Match match, String template) {
    if (template.indexOf('[') < 0) {
      return template;
    }
    // A rule's message is parsed once; a deny then only looks up its bound facts.
    MessageTemplate parsed = TEMPLATES.get(template);
    if (parsed == null) {
      parsed = MessageTemplate.parse(template);
      if (TEMPLATES.size() < MAX_CACHED) {
        TEMPLATES.put(template, parsed);
      }
    }
    List<String> ids = match.getDeclarationIds();
    StringBuilder out = new StringBuilder(template.length() + 32);
    for (Object part : parsed.parts()) {
      if (part instanceof MessageTemplate.Placeholder p) {
        Object value = declaration(match, ids, p.name());
        out.append(value == null ? p.text() : display(p.field() == null ? value : field(value, p.field())));
      } else {
        out.append((String) part);
      }
    }
    return out.toString();
  }

  private static Object declaration(Match match, List<String> ids, String name) {
    if (ids.contains("$" + name)) {
      return match.getDeclarationValue("$" + name);
    }
    return ids.contains(name) ? match.getDeclarationValue(name) : null;
  }

  /** A field of a fact-model record ({@link MessageTemplate#accessor}), or a marker when {@code name} is none. */
  private static Object field(Object value, String name) {
    Method accessor = ACCESSORS.computeIfAbsent(value.getClass().getName() + "#" + name,
        key -> MessageTemplate.accessor(value.getClass(), name));
    if (accessor == null) {
      return "[" + name + "?]";
    }
    try {
      return accessor.invoke(value);
    } catch (ReflectiveOperationException e) {
      return "[" + name + "?]";
    }
  }

  private static String display(Object value) {
    if (value == null) {
      return "(none)";
    }
    if (value instanceof Fact fact) {
      String ref = fact.ref();
      return ref.substring(ref.indexOf(':') + 1);
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof Collection<?> items) {
      return items.stream().map(RuleActions::display).collect(Collectors.joining(", "));
    }
    return String.valueOf(value);
  }
}
