package dev.gatehouse.server.cli;

import dev.gatehouse.server.log.LogOptions;
import dev.gatehouse.server.log.PostgresUrl;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --log-url URL}, shared by the commands that read or write a decision log: the log in a
 * PostgreSQL database (the one replicas share) instead of {@code decisions.db} in {@code --data}.
 */
final class LogUrlOption {

  @Option(names = "--log-url", paramLabel = "URL",
      description = "The decision log in PostgreSQL (postgresql://USER@HOST:5432/DATABASE or jdbc:postgresql://...)"
          + " instead of decisions.db in --data.")
  String url;

  /**
   * The log's options: the PostgreSQL database when {@code --log-url} is given, else the SQLite file in
   * {@code data}.
   *
   * @throws IllegalArgumentException when the URL is not a PostgreSQL URL, saying what is expected
   */
  LogOptions options(Path data) {
    return url != null ? LogOptions.postgres(PostgresUrl.parse(url)) : LogOptions.defaults(data);
  }
}
