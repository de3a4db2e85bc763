package dev.gatehouse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 over a plain socket, for what a well-behaved client cannot send: any {@code Host} or
 * none, a body that stops half way or never comes, a connection closed before the answer.
 */
final class RawHttp implements AutoCloseable {

  /** An answer as read off the socket. */
  record Answer(int status, String head, String body) {

    /** The {@code error} object of a JSON error body. */
    JsonNode error() {
      try {
        return Json.mapper().readTree(body).path("error");
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    /** The value of header {@code name}, or null. */
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  private final Socket socket;

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  /** A connection to the server on {@code port}. */
  static RawHttp connect(int port) {
    try {
      return new RawHttp(new Socket("127.0.0.1", port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code text} as it is (ISO-8859-1): a request head, a piece of a body, or both. */
  RawHttp send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads one answer, failing if none has come within {@code within}: the head, and the body by its
   * {@code Content-Length}.
   */
  Answer answer(Duration within) {
    try {
      socket.setSoTimeout((int) within.toMillis());
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new AssertionError("connection closed after " + head.size() + " bytes of an answer");
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      Answer partial = new Answer(Integer.parseInt(text.substring(9, 12)), text, "");
      String length = partial.header("content-length");
      byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
      return new Answer(partial.status(), text, new String(body, StandardCharsets.UTF_8));
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within " + within, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request head with these header lines, {@code Connection: keep-alive} implied. */
  static String head(String method, String target, String host, String... headers) {
    StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
    if (host != null) {
      head.append("Host: ").append(host).append("\r\n");
    }
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  /** A complete JSON POST. */
  static String postJson(String target, String host, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return head("POST", target, host, "Content-Type: application/json", "Content-Length: " + body.length)
        + new String(body, StandardCharsets.ISO_8859_1);
  }

  /** Closes the connection at once, with a reset rather than an orderly close, as a crashed client would. */
  void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
