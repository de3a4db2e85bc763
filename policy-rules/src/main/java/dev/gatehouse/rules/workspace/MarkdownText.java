package dev.gatehouse.rules.workspace;

import java.util.ArrayList;
import java.util.List;
import org.commonmark.node.Code;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Node;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;

/**
 * The text a person reads in a block of parsed markdown, line by line: emphasis, links and code
 * spans give their text without their markup ({@code **Blocked by:**} reads {@code Blocked by:}),
 * inline HTML gives nothing, and every line keeps its 1-based line in the file.
 */
final class MarkdownText {

  /**
   * One line of a block as it reads.
   *
   * @param number the 1-based line in the file
   * @param text the line's text without markup, stripped
   */
  record Line(int number, String text) {}

  private MarkdownText() {}

  /** The lines of the inline content of {@code block} (a paragraph, heading or table cell). */
  static List<Line> lines(Node block) {
    List<Line> lines = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int number = -1;
    for (Node inline = block.getFirstChild(); inline != null; inline = inline.getNext()) {
      if (inline instanceof SoftLineBreak || inline instanceof HardLineBreak) {
        add(lines, number < 0 ? line(block) + lines.size() : number, text);
        text.setLength(0);
        number = -1;
        continue;
      }
      if (number < 0 && !inline.getSourceSpans().isEmpty()) {
        number = inline.getSourceSpans().get(0).getLineIndex() + 1;
      }
      append(text, inline);
    }
    add(lines, number < 0 ? line(block) + lines.size() : number, text);
    return lines;
  }

  /** All of the inline content of {@code block} as one line, its lines joined by spaces. */
  static String text(Node block) {
    return String.join(" ", lines(block).stream().map(Line::text).toList()).strip();
  }

  /** The 1-based line {@code node} starts on. */
  static int line(Node node) {
    List<SourceSpan> spans = node.getSourceSpans();
    return spans.isEmpty() ? 0 : spans.get(0).getLineIndex() + 1;
  }

  private static void add(List<Line> lines, int number, StringBuilder text) {
    String line = text.toString().strip();
    if (!line.isEmpty()) {
      lines.add(new Line(number, line));
    }
  }

  private static void append(StringBuilder text, Node inline) {
    if (inline instanceof Text t) {
      text.append(t.getLiteral());
    } else if (inline instanceof Code code) {
      text.append(code.getLiteral());
    } else if (inline instanceof SoftLineBreak || inline instanceof HardLineBreak) {
      text.append(' ');
    } else if (!(inline instanceof HtmlInline)) {
      // Emphasis, links, images and anything an extension adds read as their text.
      for (Node child = inline.getFirstChild(); child != null; child = child.getNext()) {
        append(text, child);
      }
    }
  }
}
