package dev.gatehouse.rules.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.model.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Planning files as teams write them, as data: each {@code planning/NAME.md} has a golden {@code
 * NAME.golden.json} with the issues it yields, the doubts that stand in for issues it could not
 * read, its front matter and its problems. {@code -Dgatehouse.regenerate=true} rewrites the golden
 * files from what the reader does now; review the diff before committing it.
 */
class PlanningCorpusTest {

  static final Path CORPUS = Path.of(System.getProperty("gatehouse.root"), "policy-rules", "src", "test", "resources",
      "planning");
  private static final boolean REGENERATE = Boolean.getBoolean("gatehouse.regenerate");

  @TestFactory
  Stream<DynamicTest> everyVariantReadsAsItsGoldenFileSays() throws IOException {
    List<Path> variants;
    try (Stream<Path> files = Files.list(CORPUS)) {
      variants = files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
    }
    assertThat(variants).as("the corpus").hasSizeGreaterThanOrEqualTo(40);
    return variants.stream().map(variant -> DynamicTest.dynamicTest(variant.getFileName().toString(), () -> {
      String name = variant.getFileName().toString();
      Path golden = variant.resolveSibling(name.substring(0, name.length() - ".md".length()) + ".golden.json");
      String actual = render(PlanningMarkdown.parse(name, Files.readString(variant, StandardCharsets.UTF_8)));
      if (REGENERATE) {
        Files.writeString(golden, actual, StandardCharsets.UTF_8);
      }
      assertThat(golden).as("golden file of %s; run with -Dgatehouse.regenerate=true to write it", name).exists();
      assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }));
  }

  /** What a reviewer checks in a golden file, in a stable order. */
  static String render(PlanningDocument doc) throws IOException {
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("planning", doc.planning());
    out.set("frontMatter", Json.mapper().valueToTree(doc.frontMatter()));
    out.set("issues", Json.mapper().valueToTree(doc.issues()));
    out.set("doubts", Json.mapper().valueToTree(doc.doubts()));
    out.set("problems", Json.mapper().valueToTree(doc.problems().stream().map(WorkspaceProblem::describe).toList()));
    return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n";
  }
}
