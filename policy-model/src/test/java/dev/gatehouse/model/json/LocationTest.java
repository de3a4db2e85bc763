package dev.gatehouse.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      request value            | null                  | 3  | 7  | facts.approvals[0].recordedAt | facts.approvals[0].recordedAt: bad
      whole request            | null                  | 0  | 0  | ''                            | bad
      request text, no file    | null                  | 1  | 19 | ''                            | bad
      fact file item           | approvals.yaml        | 11 | 0  | approvals[1].recordedAt       | approvals.yaml:11: approvals[1].recordedAt: bad
      whole fact file          | approvals.yaml        | 0  | 0  | ''                            | approvals.yaml: bad
      policy test key          | tests/execute.yaml    | 9  | 5  | cases[0].colour               | tests/execute.yaml:9:5: cases[0].colour: bad
      config key               | /etc/gatehouse.yaml   | 1  | 1  | tokenz                        | /etc/gatehouse.yaml:1:1: tokenz: bad
      config value, no file    | null                  | 0  | 0  | log.maxAge                    | log.maxAge: bad
      rule file position       | policies/execute.dslr | 14 | 8  | ''                            | policies/execute.dslr:14:8: bad
      rule file line only      | merge.dslr            | 56 | 0  | ''                            | merge.dslr:56: bad
      column without a line    | a.drl                 | 0  | 3  | ''                            | a.drl: bad
      """)
  void describesWhatItKnowsAndLeavesOutTheRest(String name, String file, int line, int column, String path, String expected) {
    assertThat(new Location(file, line, column, path).describe("bad")).isEqualTo(expected);
  }

  @Test
  void buildsJsonPaths() {
    Location cases = Location.of("cases").index(2);

    assertThat(cases.field("request").append("facts.runs[1]").path()).isEqualTo("cases[2].request.facts.runs[1]");
    assertThat(cases.append("[0]").path()).isEqualTo("cases[2][0]");
    assertThat(Location.DOCUMENT.field("gate").path()).isEqualTo("gate");
    assertThat(cases.field("name").parent()).isEqualTo(cases);
    assertThat(cases.parent().parent()).isEqualTo(Location.DOCUMENT);
    assertThat(Location.DOCUMENT.parent()).isEqualTo(Location.DOCUMENT);
  }

  @Test
  void movesAPlaceFoundInACopyToTheOriginal() {
    Location copy = Location.of("approvals").index(0);
    Location original = Location.of("approvals").index(3);

    assertThat(Location.of("approvals[0].criteria[1].text").moved(copy, original).path())
        .isEqualTo("approvals[3].criteria[1].text");
    assertThat(copy.moved(copy, original)).isEqualTo(original);
    assertThat(Location.of("approvals[01]").moved(copy, original)).isEqualTo(original);
    assertThat(Location.DOCUMENT.moved(copy, original)).isEqualTo(original);
  }

  @Test
  void aDocumentLocatesAValueOrTheNearestValueHoldingIt() throws InvalidInputException {
    Document document = Document.read("facts.yaml", """
        approvals:
          - id: A-1
            issue: DEMO-1
          - {id: A-2, issue: DEMO-1}
        """.getBytes(StandardCharsets.UTF_8), Json.yaml());

    assertThat(document.locate(Location.of("approvals[0].issue")).describe("bad"))
        .isEqualTo("facts.yaml:3:5: approvals[0].issue: bad");
    assertThat(document.locate(Location.of("approvals[1].issue")).describe("bad"))
        .isEqualTo("facts.yaml:4:15: approvals[1].issue: bad");
    assertThat(document.locate(Location.of("approvals[0].recordedAt")).describe("missing"))
        .isEqualTo("facts.yaml:2:5: approvals[0].recordedAt: missing");
    assertThat(document.locate(Location.DOCUMENT).describe("bad")).isEqualTo("facts.yaml:1:1: bad");
  }
}
