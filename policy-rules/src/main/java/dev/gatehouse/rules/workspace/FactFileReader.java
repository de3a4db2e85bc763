package dev.gatehouse.rules.workspace;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.json.FactValidator;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a YAML or JSON fact file shaped like the {@code facts} object of a request.
 *
 * <p>Each item of each list is bound on its own, so one bad approval is reported and dropped
 * while the other items of the file still load. Binding uses the same strict rules as requests.
 */
final class FactFileReader {

  /** The strict request rules applied to YAML, with the same nesting limit as JSON. */
  static final ObjectMapper YAML = Json.configure(YAMLMapper.builder(YAMLFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Json.MAX_NESTING_DEPTH).build())
          .build()))
      .build();

  private static final String KINDS = Arrays.stream(FactKind.values())
      .map(FactKind::jsonName).sorted().collect(Collectors.joining(", "));

  private final String path;
  private final ObjectMapper mapper;
  private final List<LocatedFact> facts = new ArrayList<>();
  private final List<WorkspaceProblem> problems = new ArrayList<>();
  private Map<String, Integer> lines;

  private FactFileReader(String path, ObjectMapper mapper) {
    this.path = path;
    this.mapper = mapper;
  }

  /** Reads {@code content} of the file at workspace-relative {@code path}; never throws. */
  static LoadedFile read(String path, byte[] content) {
    ObjectMapper mapper = path.endsWith(".json") ? Json.mapper() : YAML;
    return new FactFileReader(path, mapper).read(content);
  }

  private LoadedFile read(byte[] content) {
    JsonNode root;
    try {
      lines = lineIndex(content);
      root = mapper.readTree(content);
    } catch (JacksonException e) {
      InvalidInputException invalid = RequestReader.translate(e);
      return LoadedFile.broken(path, WorkspaceFile.Kind.FACTS, content,
          new WorkspaceProblem(path, invalid.line(), invalid.describe()));
    } catch (IOException e) {
      return LoadedFile.broken(path, WorkspaceFile.Kind.FACTS, content,
          new WorkspaceProblem(path, 0, "file could not be read"));
    }
    // An empty file, or one holding only comments, holds no facts.
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        return LoadedFile.broken(path, WorkspaceFile.Kind.FACTS, content, new WorkspaceProblem(path, 1,
            "expected an object with lists of facts named " + KINDS));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        readList(field.getKey(), field.getValue());
      }
    }
    return new LoadedFile(path, WorkspaceFile.Kind.FACTS, content, facts, problems, false, false);
  }

  private void readList(String name, JsonNode list) {
    JsonPointer at = JsonPointer.empty().appendProperty(name);
    FactKind kind = FactKind.byJsonName(name).orElse(null);
    if (kind == null) {
      problem(at, name + ": unknown field '" + name + "'; expected one of " + KINDS);
    } else if (!list.isArray() && !list.isNull()) {
      problem(at, name + ": expected a list");
    } else {
      for (int i = 0; i < list.size(); i++) {
        readItem(kind, name + "[" + i + "]", at.appendIndex(i), list.get(i));
      }
    }
  }

  private void readItem(FactKind kind, String itemPath, JsonPointer at, JsonNode item) {
    try {
      Fact fact = mapper.treeToValue(item, kind.type());
      FactValidator.validateFact(itemPath, fact);
      facts.add(new LocatedFact(fact.withSource(path), line(at)));
    } catch (JacksonException e) {
      InvalidInputException invalid = RequestReader.translate(e);
      String inner = invalid.path();
      String full = inner.isEmpty() ? itemPath : inner.startsWith("[") ? itemPath + inner : itemPath + "." + inner;
      JsonPointer where = e instanceof JsonMappingException mapping ? append(at, mapping) : at;
      problem(where, full + ": " + invalid.getMessage());
    } catch (InvalidInputException e) {
      problem(at, e.describe());
    }
  }

  private void problem(JsonPointer at, String message) {
    problems.add(new WorkspaceProblem(path, line(at), message));
  }

  /** The line of the value at {@code at}, or of its nearest enclosing value the document has. */
  private int line(JsonPointer at) {
    for (JsonPointer p = at; p != null; p = p.head()) {
      Integer line = lines.get(p.toString());
      if (line != null) {
        return line;
      }
    }
    return 0;
  }

  private static JsonPointer append(JsonPointer at, JsonMappingException e) {
    JsonPointer pointer = at;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        pointer = pointer.appendProperty(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        pointer = pointer.appendIndex(ref.getIndex());
      }
    }
    return pointer;
  }

  /**
   * The line of every value and field name by JSON pointer. A tree keeps no locations, so the
   * document is streamed once to remember them for the problems found while binding the tree.
   */
  private Map<String, Integer> lineIndex(byte[] content) throws IOException {
    Map<String, Integer> index = new HashMap<>();
    try (JsonParser parser = mapper.createParser(content)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        JsonStreamContext context = parser.getParsingContext();
        // A container's own context is already open at its start token; its place is the parent's.
        if (token.isStructStart()) {
          context = context.getParent();
        }
        index.putIfAbsent(context.pathAsPointer().toString(), parser.currentTokenLocation().getLineNr());
      }
    }
    return index;
  }
}
