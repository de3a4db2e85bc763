package dev.gatehouse.rules.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.json.Document;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.Location;
import dev.gatehouse.model.json.RequestReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a YAML or JSON fact file shaped like the {@code facts} object of a request.
 *
 * <p>Each item of each list is bound on its own, so one bad approval is reported and dropped
 * while the other items of the file still load. Every item goes through {@link RequestReader}, so
 * it is refused for exactly what a request's facts are refused for.
 */
final class FactFileReader {

  /** Items are re-encoded from the tree as JSON, so one JSON reader serves YAML and JSON files. */
  private static final RequestReader ITEMS = new RequestReader();

  private static final String KINDS = Arrays.stream(FactKind.values())
      .map(FactKind::jsonName).sorted().collect(Collectors.joining(", "));

  private final String path;
  private final Document document;
  private final List<LocatedFact> facts = new ArrayList<>();
  private final List<WorkspaceProblem> problems = new ArrayList<>();

  private FactFileReader(String path, Document document) {
    this.path = path;
    this.document = document;
  }

  /** Reads {@code content} of the file at workspace-relative {@code path}; never throws. */
  static LoadedFile read(String path, byte[] content) {
    Document document;
    try {
      document = Document.read(path, content, path.endsWith(".json") ? Json.mapper() : Json.yaml());
    } catch (InvalidInputException e) {
      return LoadedFile.broken(path, WorkspaceFile.Kind.FACTS, content, new WorkspaceProblem(e.location(), e.getMessage()));
    }
    return new FactFileReader(path, document).read(content);
  }

  private LoadedFile read(byte[] content) {
    JsonNode root = document.root();
    // An empty file, or one holding only comments, holds no facts.
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        return LoadedFile.broken(path, WorkspaceFile.Kind.FACTS, content, new WorkspaceProblem(
            document.locate(Location.DOCUMENT), "expected an object with lists of facts named " + KINDS));
      }
      for (Map.Entry<String, JsonNode> field : root.properties()) {
        readList(field.getKey(), field.getValue());
      }
    }
    return new LoadedFile(path, WorkspaceFile.Kind.FACTS, content, facts, problems, false, false);
  }

  private void readList(String name, JsonNode list) {
    Location at = Location.of(name);
    FactKind kind = FactKind.byJsonName(name).orElse(null);
    if (kind == null) {
      problem(at, "unknown field '" + name + "'; expected one of " + KINDS);
    } else if (!list.isArray() && !list.isNull()) {
      problem(at, "expected a list");
    } else {
      for (int i = 0; i < list.size(); i++) {
        readItem(kind, at.index(i), list.get(i));
      }
    }
  }

  private void readItem(FactKind kind, Location at, JsonNode item) {
    // Facts refuses a null element of a list outright, without a path; say it here with one.
    if (item.isNull()) {
      problem(at, "expected an object, not null");
      return;
    }
    String name = kind.jsonName();
    ObjectNode one = Json.mapper().createObjectNode();
    one.putArray(name).add(item);
    try {
      Fact fact = ITEMS.readFacts(Json.mapper().writeValueAsBytes(one)).ofKind(kind).get(0);
      facts.add(new LocatedFact(fact.withSource(path), document.locate(at).line()));
    } catch (InvalidInputException e) {
      // The reader saw the item as the only one of its list; give it back its place in the file.
      problem(e.location().moved(Location.of(name).index(0), at), e.getMessage());
    } catch (IOException e) {
      problem(at, "could not be read");
    }
  }

  private void problem(Location at, String message) {
    problems.add(new WorkspaceProblem(document.locate(at), message));
  }
}
