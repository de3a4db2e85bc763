package dev.gatehouse.rules;

import dev.gatehouse.model.Fact;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a rule's message or {@code @remedy}, with the names it shows in brackets: {@code [issue]}
 * shows the fact the rule bound to {@code $issue} (or {@code issue}), {@code [issue.status]} one of
 * its fields. One reading of that syntax for the engine, which fills the brackets in, and for lint,
 * which says when a rule cannot.
 *
 * @param parts the text as literal strings and {@link Placeholder}s, in order
 */
public record MessageTemplate(List<Object> parts) {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\[([A-Za-z_][A-Za-z0-9_]*)(?:\\.([A-Za-z_][A-Za-z0-9_]*))?\\]");
  private static final String MODEL_PACKAGE = Fact.class.getPackageName();

  public MessageTemplate {
    parts = List.copyOf(parts);
  }

  /**
   * A {@code [name]} or {@code [name.field]} in a template.
   *
   * @param text how it was written, brackets included
   * @param name the bound name, without {@code $}
   * @param field the field shown, or null for the fact itself
   */
  public record Placeholder(String text, String name, String field) {}

  /** Reads {@code text}; brackets that hold no name (such as {@code [ ]}) are literal text. */
  public static MessageTemplate parse(String text) {
    List<Object> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    int last = 0;
    while (m.find()) {
      if (m.start() > last) {
        parts.add(text.substring(last, m.start()));
      }
      parts.add(new Placeholder(m.group(), m.group(1), m.group(2)));
      last = m.end();
    }
    if (last < text.length()) {
      parts.add(text.substring(last));
    }
    return new MessageTemplate(parts);
  }

  /** Its placeholders, in order. */
  public List<Placeholder> placeholders() {
    return parts.stream().filter(Placeholder.class::isInstance).map(Placeholder.class::cast).toList();
  }

  /**
   * The accessor of {@code field} on {@code type}, or null when a template may not show it. Only
   * record components of the fact model are shown: a template must not call arbitrary public
   * methods ({@code [issue.getClass]}), which would run code the sandbox never saw.
   */
  public static Method accessor(Class<?> type, String field) {
    if (!type.isRecord() || !type.getPackageName().equals(MODEL_PACKAGE)) {
      return null;
    }
    for (RecordComponent component : type.getRecordComponents()) {
      if (component.getName().equals(field)) {
        return component.getAccessor();
      }
    }
    return null;
  }

  /**
   * Whether a value bound with the declared type {@code declared} can show {@code field}. A type
   * that a fact-model record may hide behind (an interface, {@code Object}, {@code Record}) is given
   * the benefit of the doubt: what it holds is known only when the rule fires.
   */
  public static boolean canShow(Class<?> declared, String field) {
    if (declared.isInterface() || declared == Object.class || declared == Record.class) {
      return true;
    }
    return accessor(declared, field) != null;
  }
}
