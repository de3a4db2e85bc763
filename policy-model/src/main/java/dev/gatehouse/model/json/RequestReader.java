package dev.gatehouse.model.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Facts;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads decision requests and fact documents, refusing anything that is not exactly the documented
 * shape, with the JSON path of the problem.
 */
public final class RequestReader {

  // Readers bound to their type once: the mapper's readValue(bytes, Class) resolves the type and
  // looks up its deserializer again on every call.
  private static final ObjectReader REQUEST = Json.mapper().readerFor(DecisionRequest.class);
  private static final ObjectReader FACTS = Json.mapper().readerFor(Facts.class);

  /** Parses and validates a decision request. */
  public DecisionRequest readRequest(byte[] document) throws InvalidInputException {
    DecisionRequest request = bind(document, REQUEST);
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
    Facts facts = bind(document, FACTS);
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

  private static <T> T bind(byte[] document, ObjectReader reader) throws InvalidInputException {
    try {
      return reader.readValue(document);
    } catch (JacksonException e) {
      throw Json.invalidInput(null, e);
    } catch (IOException e) {
      throw new InvalidInputException("", "the document could not be read");
    }
  }
}
