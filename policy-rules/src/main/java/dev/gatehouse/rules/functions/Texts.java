package dev.gatehouse.rules.functions;

import java.util.Locale;

/** Text quoted in messages: a message is one line, and a character a reader cannot see is shown by its code. */
final class Texts {

  private Texts() {}

  /**
   * {@code text} with line breaks, tabs and NUL written as backslash escapes ({@code \n}, {@code \r},
   * {@code \t}, {@code \0}), and other control, format and space characters but the plain space as
   * a backslash, {@code u} and four hex digits: a name that ends in a no-break space does not read
   * as one that ends in a space.
   */
  static String shown(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\0' -> out.append("\\0");
        default -> {
          int type = Character.getType(c);
          boolean unseen = Character.isISOControl(c) || type == Character.FORMAT
              || c != ' ' && (type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                  || type == Character.PARAGRAPH_SEPARATOR);
          out.append(unseen ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
      }
    }
    return out.toString();
  }
}
