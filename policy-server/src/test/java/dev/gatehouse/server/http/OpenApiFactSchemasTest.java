package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gatehouse.model.FactKind;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The request schemas of {@code /openapi.yaml} describe the facts the server reads: a client that
 * validates its requests against the document may send every field the model takes (an approval's
 * {@code decision} and {@code contractDigest} were once missing, under additionalProperties false)
 * and learns every field the server refuses to go without.
 */
class OpenApiFactSchemasTest {

  @ParameterizedTest
  @EnumSource(value = FactKind.class, names = "DOUBTS", mode = EnumSource.Mode.EXCLUDE)
  void eachFactSchemaHasTheModelsFieldsAndRequiresWhatTheServerRequires(FactKind kind) throws Exception {
    JsonNode schema = document().path("components").path("schemas").path(kind.type().getSimpleName());
    assertThat(schema.isObject()).as("schema %s", kind.type().getSimpleName()).isTrue();

    Set<String> documented = new TreeSet<>();
    schema.path("properties").fieldNames().forEachRemaining(documented::add);
    Set<String> read = new TreeSet<>();
    for (RecordComponent component : kind.type().getRecordComponents()) {
      // A component's annotation lands on its field, accessor and constructor parameter.
      JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
      // Set by the server (the fact's source), never read from a request.
      if (property == null || property.access() != JsonProperty.Access.READ_ONLY) {
        read.add(component.getName());
      }
    }
    assertThat(documented).as("properties of %s", kind.type().getSimpleName()).isEqualTo(read);

    List<String> required = new ArrayList<>();
    schema.path("required").forEach(name -> required.add(name.asText()));
    List<String> refused = kind.required().stream()
        .filter(field -> field.check() == FactKind.Check.TEXT).map(FactKind.Field::name).toList();
    assertThat(required).as("required fields of %s", kind.type().getSimpleName())
        .containsExactlyInAnyOrderElementsOf(refused);
  }

  private static JsonNode document() throws Exception {
    try (InputStream in = OpenApiHandler.class.getResourceAsStream(OpenApiHandler.RESOURCE)) {
      return new YAMLMapper().readTree(in);
    }
  }
}
