package dev.gatehouse.server.log;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where a PostgreSQL decision log lives, as the operator wrote it: a libpq-style URL
 * ({@code postgresql://user:password@host:5432/database?sslmode=require}) or a JDBC one
 * ({@code jdbc:postgresql://host:5432/database?user=gatehouse}). Without a password in the URL,
 * the driver reads {@code ~/.pgpass} ({@code PGPASSFILE}), as {@code psql} does.
 *
 * @param jdbcUrl the URL the driver is given, without the user and password of a libpq-style URL
 * @param properties the user and password taken out of a libpq-style URL, if any
 * @param written the URL as written, with any password hidden: safe for messages and logs
 */
public record PostgresUrl(String jdbcUrl, Map<String, String> properties, String written) {

  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&]*");

  public PostgresUrl {
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  /**
   * Reads a URL as written in the config file or on the command line.
   *
   * @throws IllegalArgumentException when it is not a PostgreSQL URL, saying what is expected
   */
  public static PostgresUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("the PostgreSQL URL is empty; " + EXPECTED);
    }
    String text = url.strip();
    if (text.startsWith("jdbc:postgresql:")) {
      return new PostgresUrl(text, Map.of(), redact(text, null));
    }
    if (!text.startsWith("postgresql://") && !text.startsWith("postgres://")) {
      throw new IllegalArgumentException("'" + redact(text, null) + "' is not a PostgreSQL URL; " + EXPECTED);
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + redact(text, null) + "' is not a PostgreSQL URL (" + e.getReason() + "); "
          + EXPECTED);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("'" + redact(text, uri.getRawUserInfo()) + "' names no host; " + EXPECTED);
    }
    Map<String, String> properties = new LinkedHashMap<>();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      properties.put("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) {
        properties.put("password", decode(userInfo.substring(colon + 1)));
      }
    }
    String host = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new PostgresUrl("jdbc:postgresql://" + host + path + query, properties, redact(text, userInfo));
  }

  private static final String EXPECTED =
      "expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or jdbc:postgresql://HOST[:PORT]/DATABASE";

  /** A new connection outside any pool, with the properties the log's guarantees rest on. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, driverProperties());
  }

  /** The user and password of the URL, plus what every connection of the log is opened with. */
  Properties driverProperties() {
    Properties p = new Properties();
    // Shows in pg_stat_activity, so that an operator can tell the replicas' sessions apart from others.
    p.setProperty("ApplicationName", "gatehouse");
    // A connection that cannot be opened or a server that stops answering fails a write within
    // seconds, so that a decision is refused (503) rather than held; a URL may set others.
    p.setProperty("connectTimeout", "5");
    p.setProperty("socketTimeout", "30");
    p.setProperty("tcpKeepAlive", "true");
    // One multi-row INSERT per group commit instead of one statement per decision.
    p.setProperty("reWriteBatchedInserts", "true");
    p.putAll(properties);
    return p;
  }

  /** The same server with another database: what the tests' fixture creates for each test. */
  public PostgresUrl withDatabase(String database) {
    if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("'" + written + "' names no host to find another database on");
    }
    String base = jdbcUrl.substring("jdbc:postgresql://".length());
    int query = base.indexOf('?');
    String params = query < 0 ? "" : base.substring(query);
    String hostAndPath = query < 0 ? base : base.substring(0, query);
    int slash = hostAndPath.indexOf('/');
    String host = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
    String jdbc = "jdbc:postgresql://" + host + "/" + database + params;
    return new PostgresUrl(jdbc, properties, redact(jdbc, null) + (properties.containsKey("user")
        ? " (user " + properties.get("user") + ")" : ""));
  }

  @Override
  public String toString() {
    return written;
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL with the password of its user part and of a {@code password=} parameter hidden. */
  private static String redact(String url, String rawUserInfo) {
    String shown = url;
    if (rawUserInfo != null && rawUserInfo.contains(":")) {
      shown = shown.replace(rawUserInfo + "@", rawUserInfo.substring(0, rawUserInfo.indexOf(':')) + ":***@");
    }
    return PASSWORD_PARAMETER.matcher(shown).replaceAll("$1***");
  }
}
