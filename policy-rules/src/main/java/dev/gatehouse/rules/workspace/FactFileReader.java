package dev.gatehouse.rules.workspace;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML or JSON fact file shaped like the {@code facts} object of a request.
 *
 * <p>Each item of each list is bound on its own, so one bad approval is reported and dropped
 * while the other items of the file still load. Every item goes through {@link RequestReader}, so
 * it is refused for exactly what a request's facts are refused for.
 */
final class FactFileReader {

  /** The strict request rules applied to YAML, with the same nesting limit as JSON. */
  static final ObjectMapper YAML = Json.configure(YAMLMapper.builder(yamlFactory())).build();

  /** Items are re-encoded from the tree as JSON, so one JSON reader serves YAML and JSON files. */
  private static final RequestReader ITEMS = new RequestReader();

  private static final Pattern STEP = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]");

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

  private static YAMLFactory yamlFactory() {
    // Not YAMLFactory.builder(): a factory built that way reads an empty value (`approvals:`) as ""
    // instead of null.
    YAMLFactory factory = new YAMLFactory();
    factory.setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(Json.MAX_NESTING_DEPTH).build());
    return factory;
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
      return LoadedFile.broken(path, WorkspaceFile.Kind.FACTS, content, malformed(path, 0, e));
    } catch (IOException e) {
      return LoadedFile.broken(path, WorkspaceFile.Kind.FACTS, content,
          new WorkspaceProblem(path, 0, "file could not be read"));
    }
    // An empty file, or one holding only comments, holds no facts.
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        return LoadedFile.broken(path, WorkspaceFile.Kind.FACTS, content, new WorkspaceProblem(path,
            line(JsonPointer.empty()), "expected an object with lists of facts named " + KINDS));
      }
      for (Map.Entry<String, JsonNode> field : root.properties()) {
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
    // Facts refuses a null element of a list outright, without a path; say it here with one.
    if (item.isNull()) {
      problem(at, itemPath + ": expected an object, not null");
      return;
    }
    String name = kind.jsonName();
    ObjectNode one = mapper.createObjectNode();
    one.putArray(name).add(item);
    try {
      Fact fact = ITEMS.readFacts(Json.mapper().writeValueAsBytes(one)).ofKind(kind).get(0);
      facts.add(new LocatedFact(fact.withSource(path), line(at)));
    } catch (InvalidInputException e) {
      // The reader saw the item as the only one of its list; give it back its place in the file.
      String inner = e.path().startsWith(name + "[0]") ? e.path().substring(name.length() + 3) : "";
      problem(append(at, inner), itemPath + inner + ": " + e.getMessage());
    } catch (IOException e) {
      problem(at, itemPath + ": could not be read");
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

  /** {@code at} followed by a JSON path tail such as {@code .criteria[0].text}. */
  private static JsonPointer append(JsonPointer at, String tail) {
    JsonPointer pointer = at;
    Matcher step = STEP.matcher(tail);
    while (step.find()) {
      pointer = step.group(1) != null
          ? pointer.appendProperty(step.group(1))
          : pointer.appendIndex(Integer.parseInt(step.group(2)));
    }
    return pointer;
  }

  /** A whole-file problem for input that is not YAML or JSON at all, at its line. */
  static WorkspaceProblem malformed(String path, int firstLine, JacksonException e) {
    String what = e instanceof StreamConstraintsException
        ? "document too deeply nested or too large: "
        : "malformed document: ";
    String detail = e.getOriginalMessage() == null ? "" : Json.firstLine(e);
    int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
      // The first line of a YAML error is often only its context ("while scanning for the next
      // token"); what is wrong is the problem. Without a place for the context, Jackson's location
      // can be the line before the problem (a tab indenting a line), so the problem's mark names it.
      String problem = yaml.getProblem().strip().replaceAll("\\.$", "");
      detail = yaml.getContext() == null ? problem : yaml.getContext() + ": " + problem;
      if (yaml.getContextMark() == null && yaml.getProblemMark() != null) {
        line = yaml.getProblemMark().getLine() + 1;
      }
    }
    // Jackson capitalises its sentences; house style is lower case (but keeps acronyms such as YAML).
    if (detail.length() > 1 && Character.isUpperCase(detail.charAt(0)) && Character.isLowerCase(detail.charAt(1))) {
      detail = Character.toLowerCase(detail.charAt(0)) + detail.substring(1);
    }
    if (detail.length() > 200) {
      detail = detail.substring(0, 200) + "...";
    }
    return new WorkspaceProblem(path, line > 0 ? firstLine + line : firstLine, what + detail);
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
