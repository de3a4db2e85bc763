package dev.gatehouse.model.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.IgnoredPropertyException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.gatehouse.model.DecisionRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The one strict configuration for reading JSON and YAML (requests, fact files, policy tests, the
 * config file), and what its refusals say: a message in policy terms at a {@link Location}.
 */
public final class Json {

  /** Deepest nesting accepted in an input document; real requests nest about five levels. */
  public static final int MAX_NESTING_DEPTH = 64;

  private static final ObjectMapper STRICT = configure(JsonMapper.builder(jsonFactory())).build();

  private static final ObjectMapper YAML = configure(YAMLMapper.builder(yamlFactory())).build();

  // Jackson's "[Source: <what>; line: L, column: C]", where <what> tells clients nothing.
  private static final Pattern SOURCE_IN_LOCATION = Pattern.compile("\\[Source: .*?; (line: \\d+, column: \\d+)]");

  private Json() {}

  /**
   * The first line of a Jackson error's message, at most 200 characters, without the location
   * Jackson appends on later lines nor the description of the source it embeds in some
   * ("start marker at [Source: REDACTED (...); line: 1, column: 1]" becomes "start marker at
   * line: 1, column: 1"); "unreadable input" when there is no message. Of a YAML error, what is
   * wrong, after the parser's context: the first line is often only the context ("while scanning
   * for the next token").
   */
  public static String firstLine(JacksonException e) {
    MarkedYAMLException yaml = yamlCause(e);
    String message = yaml != null && yaml.getProblem() != null
        ? (yaml.getContext() == null ? "" : yaml.getContext() + ": ") + yaml.getProblem().strip().replaceAll("\\.$", "")
        : e.getOriginalMessage();
    String first = message == null ? "" : message.lines().findFirst().orElse("");
    if (first.isBlank()) {
      return "unreadable input";
    }
    first = SOURCE_IN_LOCATION.matcher(first).replaceAll("$1");
    return first.length() > 200 ? first.substring(0, 200) + "..." : first;
  }

  /** The shared, thread-safe mapper: strict when reading, ISO-8601 timestamps when writing. */
  public static ObjectMapper mapper() {
    return STRICT;
  }

  /** The YAML mapper, refusing exactly what {@link #mapper()} refuses. YAML reads JSON too. */
  public static ObjectMapper yaml() {
    return YAML;
  }

  /**
   * What a strict mapper refused while reading {@code file} (null for input that is no file, such
   * as a request body), in policy terms, at its place: the JSON path of a value that does not bind,
   * the line where the text breaks.
   */
  public static InvalidInputException invalidInput(String file, JacksonException e) {
    if (e instanceof DatabindException && e.getCause() instanceof JacksonException syntax
        && !(syntax instanceof DatabindException)) {
      // Binding stopped because the text itself is broken: report the syntax, not the binding.
      e = syntax;
    }
    Location where = position(new Location(file, 0, 0, ""), e);
    if (e instanceof StreamConstraintsException) {
      return new InvalidInputException(where, "document too deeply nested or too large: " + firstLine(e));
    }
    if (!(e instanceof DatabindException)) {
      return new InvalidInputException(where, malformed(where, e));
    }
    for (JsonMappingException.Reference ref : ((JsonMappingException) e).getPath()) {
      if (ref.getFieldName() != null) {
        where = where.field(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        where = where.index(ref.getIndex());
      }
    }
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
      message = malformed(where, e);
    } else {
      message = "invalid value: " + firstLine(e);
    }
    return new InvalidInputException(where, message);
  }

  /**
   * The line and column of {@code e} at {@code where}. Without a place for its context, Jackson's
   * location of a YAML error can be the line before the problem (a tab indenting a line), so the
   * problem's mark names it.
   */
  private static Location position(Location where, JacksonException e) {
    MarkedYAMLException yaml = yamlCause(e);
    if (yaml != null && yaml.getProblem() != null && yaml.getContextMark() == null && yaml.getProblemMark() != null) {
      return where.at(yaml.getProblemMark().getLine() + 1, yaml.getProblemMark().getColumn() + 1);
    }
    JsonLocation location = e.getLocation();
    return location == null ? where : where.at(location.getLineNr(), location.getColumnNr());
  }

  private static MarkedYAMLException yamlCause(JacksonException e) {
    return e.getCause() instanceof MarkedYAMLException yaml ? yaml : null;
  }

  /**
   * Text that does not parse. A JSON path means nothing in it, so it is placed by line and column;
   * input that is no file (a request body) has no place to name those but its message.
   */
  private static String malformed(Location where, JacksonException e) {
    String at = where.file() == null && where.line() > 0
        ? " at line " + where.line() + ", column " + where.column()
        : "";
    return "malformed document" + at + ": " + firstLine(e);
  }

  private static String typeName(Class<?> type) {
    if (type == Instant.class) {
      return "a timestamp";
    }
    // A file path (in the config file) is written as text.
    if (type == String.class || Path.class.isAssignableFrom(type)) {
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

  /**
   * Timestamps are ISO-8601 text only: a number is refused, since seconds and milliseconds since
   * the epoch are easy to confuse and a wrong guess moves a deadline.
   */
  private static final class StrictInstant extends StdScalarDeserializer<Instant> {

    StrictInstant() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (!parser.hasToken(JsonToken.VALUE_STRING)) {
        return (Instant) context.handleUnexpectedToken(Instant.class, parser);
      }
      String text = parser.getText();
      try {
        return Timestamps.parse(text);
      } catch (DateTimeParseException e) {
        throw context.weirdStringException(text, Instant.class, "not an ISO-8601 timestamp");
      }
    }
  }

  /**
   * Every string read is text the decision log can store as sent ({@link FactValidator#textProblem}):
   * checked here, where Jackson reads strings, so no field of any fact can miss it.
   */
  private static final class ValidText extends StdScalarDeserializer<String> {

    ValidText() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      String text = StringDeserializer.instance.deserialize(parser, context);
      String problem = text == null ? null : FactValidator.textProblem(text);
      if (problem != null) {
        // Not a MismatchedInputException, which would read as "expected a string".
        throw JsonMappingException.from(parser, problem);
      }
      return text;
    }

    @Override
    public LogicalType logicalType() {
      return LogicalType.Textual;
    }
  }

  /**
   * A request as a caller would send it: the facts without their {@code source}, which Gatehouse
   * sets when it reads them. Reading the result back with {@link RequestReader} gives the same
   * request, which is what the decision log and replay rely on.
   */
  public static byte[] writeRequest(DecisionRequest request) {
    ObjectNode tree = STRICT.valueToTree(request);
    tree.path("facts").forEach(kind -> kind.forEach(fact -> ((ObjectNode) fact).remove("source")));
    try {
      return STRICT.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a request tree always serializes", e);
    }
  }

  private static JsonFactory jsonFactory() {
    return limited(new JsonFactory());
  }

  private static YAMLFactory yamlFactory() {
    // Not YAMLFactory.builder(): a factory built that way reads an empty value (`approvals:`) as ""
    // instead of null.
    YAMLFactory factory = limited(new YAMLFactory());
    // Only true and false are booleans, as in YAML 1.2: `sync: off` is the text someone wrote, and
    // `enabled: yes` is refused like any other text where true or false is expected.
    factory.enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS);
    return factory;
  }

  private static <F extends JsonFactory> F limited(F factory) {
    factory.setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    return factory;
  }

  /** Applies the strict reading rules to a mapper builder, so the YAML mapper refuses exactly what the JSON one does. */
  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
    builder
        .addModule(new JavaTimeModule())
        .addModule(new SimpleModule("gatehouse-strict-time").addDeserializer(Instant.class, new StrictInstant()))
        .addModule(new SimpleModule("gatehouse-valid-text").addDeserializer(String.class, new ValidText()))
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .withCoercionConfig(LogicalType.Textual, c -> {
          c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
          c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
          c.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        });
    return builder;
  }
}
