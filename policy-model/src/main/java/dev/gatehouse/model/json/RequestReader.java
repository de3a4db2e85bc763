package dev.gatehouse.model.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.IgnoredPropertyException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Facts;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Reads decision requests and fact documents, refusing anything that is not exactly the documented
 * shape, with the JSON path of the problem.
 */
public final class RequestReader {

  private final ObjectMapper mapper;

  /** A reader of JSON documents. */
  public RequestReader() {
    this(Json.mapper());
  }

  /** A reader with another strictly configured mapper, e.g. a YAML one from {@link Json#configure}. */
  public RequestReader(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Parses and validates a decision request. */
  public DecisionRequest readRequest(byte[] document) throws InvalidInputException {
    DecisionRequest request = bind(document, DecisionRequest.class);
    if (request == null) {
      throw new InvalidInputException("", "the request must be a JSON object");
    }
    FactValidator.requireText("gate", request.gate());
    FactValidator.requireText("subject", request.subject());
    FactValidator.validate("facts", request.facts());
    return request;
  }

  /** Parses and validates a document of facts (the {@code facts} object of a request on its own). */
  public Facts readFacts(byte[] document) throws InvalidInputException {
    Facts facts = bind(document, Facts.class);
    if (facts == null) {
      return Facts.EMPTY;
    }
    FactValidator.validate("", facts);
    return facts;
  }

  /** Parses a time given on a command line or in a query, such as {@code 2026-06-02T10:00:00Z}. */
  public static Instant parseInstant(String path, String text) throws InvalidInputException {
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          path, "'" + text + "' is not a timestamp: expected ISO-8601 UTC such as 2026-06-02T10:00:00Z");
    }
  }

  private <T> T bind(byte[] document, Class<T> type) throws InvalidInputException {
    try {
      return mapper.readValue(document, type);
    } catch (JacksonException e) {
      throw translate(e);
    } catch (IOException e) {
      throw new InvalidInputException("", "the document could not be read");
    }
  }

  /** Turns a Jackson failure into a message in policy terms with the JSON path of the problem. */
  static InvalidInputException translate(JacksonException e) {
    if (e instanceof DatabindException && e.getCause() instanceof JacksonException syntax
        && !(syntax instanceof DatabindException)) {
      // Binding stopped because the text itself is broken: report the syntax, not the binding.
      e = syntax;
    }
    int line = line(e.getLocation());
    if (e instanceof StreamConstraintsException) {
      return new InvalidInputException("", "document too deeply nested or too large: " + Json.firstLine(e), line);
    }
    if (!(e instanceof DatabindException mapping)) {
      return new InvalidInputException("", "malformed document" + at(e.getLocation()) + ": " + Json.firstLine(e), line);
    }
    String path = path((JsonMappingException) mapping);
    String message;
    if (e instanceof IgnoredPropertyException ignored) {
      message = "field '" + ignored.getPropertyName() + "' is set by Gatehouse and cannot be given";
    } else if (e instanceof UnrecognizedPropertyException unknown) {
      message = "unknown field '" + unknown.getPropertyName() + "'; expected one of "
          + known(unknown.getKnownPropertyIds());
    } else if (e instanceof InvalidFormatException format && format.getTargetType() == Instant.class) {
      message = "'" + format.getValue() + "' is not a timestamp: expected ISO-8601 UTC such as 2026-06-02T10:00:00Z";
    } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      boolean absent = mismatch.getTargetType().isPrimitive() && String.valueOf(mismatch.getOriginalMessage()).contains("null");
      message = absent
          ? "required field is missing or null: expected " + typeName(mismatch.getTargetType())
          : "expected " + typeName(mismatch.getTargetType());
      if (mismatch.getTargetType() == Instant.class) {
        message += " (ISO-8601 UTC such as 2026-06-02T10:00:00Z)";
      }
    } else if (e instanceof MismatchedInputException) {
      // No target type: the document ended or broke off where a value was due.
      message = "malformed document" + at(e.getLocation()) + ": " + Json.firstLine(e);
    } else {
      message = "invalid value: " + Json.firstLine(e);
    }
    return new InvalidInputException(path, message, line);
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String typeName(Class<?> type) {
    if (type == Instant.class) {
      return "a timestamp";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    return "an object";
  }

  private static String known(Collection<Object> ids) {
    return ids == null ? "none" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  private static int line(JsonLocation location) {
    return location == null ? 0 : Math.max(0, location.getLineNr());
  }

  /** Where in the text a syntax error is: a JSON path means nothing in a document that does not parse. */
  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() <= 0
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
