package dev.gatehouse.rules.drools;

import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Severity;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final Pattern PLACEHOLDER = Pattern.compile("\\[([A-Za-z_][A-Za-z0-9_]*)(?:\\.([A-Za-z_][A-Za-z0-9_]*))?\\]");
  private static final Map<String, Method> ACCESSORS = new ConcurrentHashMap<>();
  private static final Map<String, List<Object>> TEMPLATES = new ConcurrentHashMap<>();
  // Messages come from rule files; the bound only stops endless reloads of edited texts growing it.
  private static final int MAX_CACHED = 10_000;
  private static final String MODEL_PACKAGE = Fact.class.getPackageName();

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
    List<Object> parts = TEMPLATES.get(template);
    if (parts == null) {
      parts = parse(template);
      if (TEMPLATES.size() < MAX_CACHED) {
        TEMPLATES.put(template, parts);
      }
    }
    List<String> ids = match.getDeclarationIds();
    StringBuilder out = new StringBuilder(template.length() + 32);
    for (Object part : parts) {
      if (part instanceof Placeholder p) {
        Object value = declaration(match, ids, p.name());
        out.append(value == null ? p.text() : display(p.field() == null ? value : field(value, p.field())));
      } else {
        out.append((String) part);
      }
    }
    return out.toString();
  }

  /** A {@code [name]} or {@code [name.field]} in a message; {@code text} is how it was written. */
  private record Placeholder(String text, String name, String field) {}

  /** The template as literal strings and placeholders, in order. */
  private static List<Object> parse(String template) {
    List<Object> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    int last = 0;
    while (m.find()) {
      if (m.start() > last) {
        parts.add(template.substring(last, m.start()));
      }
      parts.add(new Placeholder(m.group(), m.group(1), m.group(2)));
      last = m.end();
    }
    if (last < template.length()) {
      parts.add(template.substring(last));
    }
    return List.copyOf(parts);
  }

  private static Object declaration(Match match, List<String> ids, String name) {
    if (ids.contains("$" + name)) {
      return match.getDeclarationValue("$" + name);
    }
    return ids.contains(name) ? match.getDeclarationValue(name) : null;
  }

  /**
   * A field of a fact-model record, or a marker when {@code name} is none. Only record components
   * are read: a message must not call arbitrary public methods ({@code [issue.getClass]}), which
   * would run code the sandbox never saw.
   */
  private static Object field(Object value, String name) {
    Method accessor = ACCESSORS.computeIfAbsent(value.getClass().getName() + "#" + name, key -> {
      Class<?> type = value.getClass();
      if (!type.isRecord() || !type.getPackageName().equals(MODEL_PACKAGE)) {
        return null;
      }
      for (RecordComponent component : type.getRecordComponents()) {
        if (component.getName().equals(name)) {
          return component.getAccessor();
        }
      }
      return null;
    });
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
