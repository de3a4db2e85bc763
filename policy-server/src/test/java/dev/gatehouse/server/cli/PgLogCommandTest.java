package dev.gatehouse.server.cli;

import static dev.gatehouse.server.cli.CliTest.gatehouse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.json.Json;
import dev.gatehouse.server.log.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving an SQLite log to PostgreSQL with the command line: {@code log export} from the file, {@code
 * log import --log-url} into the database; the copy verifies to the same head, exports the same
 * lines and replays as decided, all with {@code --log-url}.
 */
class PgLogCommandTest {

  @RegisterExtension static final TestPostgres.ClassDatabase database = new TestPostgres.ClassDatabase();

  @TempDir Path dir;

  @Test
  void anSqliteLogExportedAndImportedIntoPostgresIsTheSameLog() throws Exception {
    Path data = dir.resolve("data");
    Path request = Files.writeString(dir.resolve("request.json"), ReplayCommandTest.REQUEST.formatted("execute", ""));
    for (int i = 0; i < 3; i++) {
      CliTest.Run run = gatehouse("eval", "--request", request.toString(), "--policies",
          CliTest.resource("policies").toString(), "--log", "--data", data.toString(), "--json");
      assertThat(run.err()).isEmpty();
      assertThat(Json.mapper().readTree(run.out()).path("decisionId").asText()).isNotBlank();
    }
    String head = gatehouse("log", "verify", "--data", data.toString()).out();
    CliTest.Run export = gatehouse("log", "export", "--data", data.toString());
    Path file = Files.writeString(dir.resolve("decisions.ndjson"), export.out());
    String url = TestPostgres.text(database.freshSchema());

    CliTest.Run imported = gatehouse("log", "import", "--log-url", url, file.toString());

    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(imported.out()).startsWith("imported 3 decisions and 1 snapshot into jdbc:postgresql://");
    CliTest.Run verified = gatehouse("log", "verify", "--log-url", url);
    assertThat(verified.exit()).as(verified.err()).isZero();
    assertThat(verified.out()).isEqualTo(head).startsWith("intact: 3 decisions checked; head ");
    assertThat(gatehouse("log", "export", "--log-url", url).out()).isEqualTo(export.out());
    CliTest.Run asDecided = gatehouse("replay", "--mode", "as-decided", "--log-url", url);
    assertThat(asDecided.out()).as(asDecided.err()).isEqualTo("replayed 3 of 3 decisions as decided: every one reproduced\n");
    CliTest.Run again = gatehouse("log", "import", "--log-url", url, file.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("is not empty: import only into an empty log");
  }

  @Test
  void aUrlThatIsNotPostgresIsRefusedSayingWhatIsExpected() {
    CliTest.Run run = gatehouse("log", "verify", "--log-url", "mysql://db/gatehouse");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("gatehouse log verify: --log-url: 'mysql://db/gatehouse' is not a PostgreSQL URL;"
        + " expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or jdbc:postgresql://HOST[:PORT]/DATABASE\n");
  }
}
