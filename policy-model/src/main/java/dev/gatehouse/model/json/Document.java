package dev.gatehouse.model.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML or JSON file read as a tree, which remembers where each of its values is: a problem found
 * in the tree, such as an unknown key or a value that does not bind, can still name its line.
 */
public final class Document {

  private final String file;
  private final JsonNode root;
  private final Map<String, Location> places;

  private Document(String file, JsonNode root, Map<String, Location> places) {
    this.file = file;
    this.root = root;
    this.places = places;
  }

  /**
   * Reads {@code content} of {@code file} with {@link Json#yaml()} or {@link Json#mapper()}.
   *
   * @throws InvalidInputException at the line where the text breaks
   */
  public static Document read(String file, byte[] content, ObjectMapper mapper) throws InvalidInputException {
    try {
      Map<String, Location> places = places(file, content, mapper);
      return new Document(file, mapper.readTree(content), places);
    } catch (JacksonException e) {
      throw Json.invalidInput(file, e);
    } catch (IOException e) {
      throw new InvalidInputException(Location.ofFile(file), "file could not be read");
    }
  }

  /** The document's value: null or a missing node for a file that holds none (empty, or only comments). */
  public JsonNode root() {
    return root;
  }

  /**
   * The document bound to {@code type} as strictly as a request is; null for a file that holds no
   * value.
   *
   * @throws InvalidInputException at the line of the value that does not bind
   */
  public <T> T bind(Class<T> type) throws InvalidInputException {
    if (root == null || root.isMissingNode() || root.isNull()) {
      return null;
    }
    try {
      return Json.mapper().treeToValue(root, type);
    } catch (JacksonException e) {
      // The tree has no lines of its own: the refusal names a path, which this document places.
      InvalidInputException refused = Json.invalidInput(null, e);
      throw new InvalidInputException(locate(refused.location()), refused.getMessage());
    }
  }

  /**
   * {@code at} (a JSON path in this document) in this file, at the line of its value or, for a value
   * the file does not have (a missing field), of the nearest value that holds it.
   */
  public Location locate(Location at) {
    for (Location held = at; ; held = held.parent()) {
      Location place = places.get(held.path());
      if (place != null) {
        return new Location(file, place.line(), place.column(), at.path());
      }
      if (held.path().isEmpty()) {
        return new Location(file, 0, 0, at.path());
      }
    }
  }

  /**
   * The place of every value and field name by JSON path. A tree keeps no locations, so the
   * document is streamed once to remember them for the problems found in the tree.
   */
  private static Map<String, Location> places(String file, byte[] content, ObjectMapper mapper) throws IOException {
    Map<String, Location> places = new HashMap<>();
    try (JsonParser parser = mapper.createParser(content)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        JsonStreamContext context = parser.getParsingContext();
        // A container's own context is already open at its start token; its place is the parent's.
        if (token.isStructStart()) {
          context = context.getParent();
        }
        Location place = path(Location.ofFile(file), context);
        JsonLocation at = parser.currentTokenLocation();
        places.putIfAbsent(place.path(), place.at(at.getLineNr(), at.getColumnNr()));
      }
    }
    return places;
  }

  /** The JSON path of the value the parser is at in {@code context}. */
  private static Location path(Location document, JsonStreamContext context) {
    if (context == null || context.inRoot()) {
      return document;
    }
    Location parent = path(document, context.getParent());
    if (context.inArray()) {
      return context.hasCurrentIndex() ? parent.index(context.getCurrentIndex()) : parent;
    }
    return context.getCurrentName() == null ? parent : parent.field(context.getCurrentName());
  }
}
