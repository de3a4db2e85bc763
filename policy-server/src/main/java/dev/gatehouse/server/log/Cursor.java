package dev.gatehouse.server.log;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque paging cursor: the sequence number of the last decision of a page.
 *
 * <p>A page after a cursor holds the decisions with a smaller sequence number. Sequence numbers are
 * assigned in commit order and never reused, so decisions logged between two page reads land before
 * the first page and never shift the pages after it: no duplicates, no gaps.
 */
final class Cursor {

  private static final String PREFIX = "seq:";

  private Cursor() {}

  static String encode(long seq) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + seq).getBytes(StandardCharsets.US_ASCII));
  }

  /** The sequence number in a cursor this class encoded. */
  static long decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (text.startsWith(PREFIX)) {
        long seq = Long.parseLong(text.substring(PREFIX.length()));
        if (seq > 0) {
          return seq;
        }
      }
    } catch (IllegalArgumentException e) {
      // Not base64url, or not a number after the prefix: refused below like any other bad cursor.
    }
    throw new IllegalArgumentException("invalid cursor '" + cursor + "'");
  }
}
