package dev.gatehouse.model.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.model.DecisionRequest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** The one strict JSON configuration used for requests, facts and decisions. */
public final class Json {

  /** Deepest nesting accepted in an input document; real requests nest about five levels. */
  public static final int MAX_NESTING_DEPTH = 64;

  private static final ObjectMapper STRICT = configure(JsonMapper.builder(jsonFactory())).build();

  // Jackson's "[Source: <what>; line: L, column: C]", where <what> tells clients nothing.
  private static final Pattern SOURCE_IN_LOCATION = Pattern.compile("\\[Source: .*?; (line: \\d+, column: \\d+)]");

  private Json() {}

  /**
   * The first line of a Jackson error's message, at most 200 characters, without the location
   * Jackson appends on later lines nor the description of the source it embeds in some
   * ("start marker at [Source: REDACTED (...); line: 1, column: 1]" becomes "start marker at
   * line: 1, column: 1"); "unreadable input" when there is no message.
   */
  public static String firstLine(JacksonException e) {
    String message = e.getOriginalMessage();
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
        return Instant.parse(text);
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
    JsonFactory factory = new JsonFactory();
    factory.setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    return factory;
  }

  /**
   * Applies the strict reading rules to a mapper builder, so the YAML reader of the workspace
   * refuses exactly what the JSON reader refuses.
   */
  public static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>>
      B configure(B builder) {
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
