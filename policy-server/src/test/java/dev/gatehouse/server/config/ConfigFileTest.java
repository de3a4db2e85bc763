package dev.gatehouse.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.log.LogSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

  @TempDir Path dir;

  @Test
  void readsEverySettingFromYaml() throws Exception {
    Path file = Files.writeString(dir.resolve("gatehouse.yaml"), """
        host: 0.0.0.0
        port: 9000
        policies: rules
        bodyLimit: 65536
        limits: {maxFirings: 500, maxWallTimeMillis: 250}
        tokens:
          - {name: ci, token: "ci-secret-0123456789", roles: [decide, read]}
        """);

    ServerConfig config = ConfigFile.read(file).resolve(null);

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.policies()).isEqualTo(Path.of("rules"));
    assertThat(config.bodyLimit()).isEqualTo(65536);
    assertThat(config.limits().maxFirings()).isEqualTo(500);
    assertThat(config.limits().maxWallTime()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.tokens()).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("ci");
      assertThat(t.roles()).containsExactlyInAnyOrder(Role.DECIDE, Role.READ);
      assertThat(t.digest()).isEqualTo(ApiToken.sha256("ci-secret-0123456789"));
    });
  }

  @Test
  void readsTheDecisionLogSection() throws Exception {
    Path file = Files.writeString(dir.resolve("gatehouse.yaml"), """
        data: var/gatehouse
        log: {maxAge: P90D, maxRows: 1000000, queueCapacity: 64, sync: full}
        """);

    ServerConfig config = ConfigFile.read(file).resolve(null);

    assertThat(config.log()).isEqualTo(new LogSettings(true, Duration.ofDays(90), 1_000_000L, 64, LogSync.FULL));
    assertThat(config.logging()).isTrue();
    Path off = Files.writeString(dir.resolve("off.yaml"), "data: var/gatehouse\nlog: {enabled: false}\n");
    assertThat(ConfigFile.read(off).resolve(null).logging()).isFalse();
    assertThat(ConfigFile.read(off).resolve(null).log().sync()).isEqualTo(LogSync.NORMAL);
  }

  @Test
  void readsALogOnPostgresqlWhichAlsoSharesThePolicySet() throws Exception {
    Path file = Files.writeString(dir.resolve("gatehouse.yaml"), """
        log: {store: postgresql, url: "postgresql://gatehouse:s%40cret@db.internal:5433/gates?sslmode=require", maxAge: P30D}
        """);

    ServerConfig config = ConfigFile.read(file).resolve(null);

    assertThat(config.log().postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/gates?sslmode=require");
    assertThat(config.log().postgres().properties()).containsEntry("user", "gatehouse").containsEntry("password", "s@cret");
    assertThat(config.log().postgres()).hasToString("postgresql://gatehouse:***@db.internal:5433/gates?sslmode=require");
    assertThat(config.log().maxAge()).isEqualTo(Duration.ofDays(30));
    // No data directory needed: the log is in the database, and so is the active policy set.
    assertThat(config.logging()).isTrue();
    assertThat(config.sharedPolicies()).isTrue();
    Path jdbc = Files.writeString(dir.resolve("jdbc.yaml"), "log: {url: \"jdbc:postgresql://db/g?user=u&password=p\"}\n");
    assertThat(ConfigFile.read(jdbc).resolve(null).log().postgres()).hasToString("jdbc:postgresql://db/g?user=u&password=***");
    assertThat(ConfigFile.EMPTY.resolve(null).sharedPolicies()).isFalse();
  }

  @Test
  void refusesALogSettingTheLogCannotUseNamingIt() throws Exception {
    for (String[] bad : new String[][] {
        {"{maxAge: 90 days}", "log.maxAge: '90 days' is not an ISO-8601 duration such as P90D"},
        {"{maxAge: PT0S}", "log.maxAge: 'PT0S' must be positive"},
        {"{maxAge: -P1D}", "log.maxAge: '-P1D' must be positive"},
        {"{maxAge: P150000D}", "log.maxAge: 'P150000D' must be at most P36500D (100 years)"},
        {"{maxRows: -1}", "log.maxRows: -1 must not be negative"},
        {"{queueCapacity: 0}", "log.queueCapacity: 0 must be at least 1"},
        {"{sync: off}", "log.sync: 'off' is not one of normal, full"},
        {"{store: mysql}", "log.store: 'mysql' is not one of sqlite, postgresql"},
        {"{store: postgresql}", "log.url: store: postgresql needs the database's url, such as"
            + " postgresql://gatehouse@db.internal:5432/gatehouse (or --log-url)"},
        {"{store: sqlite, url: 'postgresql://db/g'}", "log.url: a url is for store: postgresql; the sqlite log is"
            + " decisions.db in the data directory"},
        {"{url: 'db.internal:5432'}", "log.url: 'db.internal:5432' is not a PostgreSQL URL; expected"
            + " postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or jdbc:postgresql://HOST[:PORT]/DATABASE"}}) {
      Path file = Files.writeString(dir.resolve("gatehouse.yaml"), "log: " + bad[0] + "\n");

      assertThatThrownBy(() -> ConfigFile.read(file).resolve(null)).as(bad[0])
          .isInstanceOf(ConfigException.class).hasMessage(bad[1]);
    }
  }

  @Test
  void readsTheSettleIntervalAndRefusesOneOutOfRange() throws Exception {
    assertThat(ConfigFile.EMPTY.resolve(null).settle()).isEqualTo(Duration.ofMillis(300));
    Path file = Files.writeString(dir.resolve("gatehouse.yaml"), "settleMillis: 1500\n");
    assertThat(ConfigFile.read(file).resolve(null).settle()).isEqualTo(Duration.ofMillis(1500));

    for (String[] bad : new String[][] {
        {"-1", "settleMillis -1 is out of range 0-60000"}, {"600000", "settleMillis 600000 is out of range 0-60000"}}) {
      Path out = Files.writeString(dir.resolve("bad.yaml"), "settleMillis: " + bad[0] + "\n");
      assertThatThrownBy(() -> ConfigFile.read(out).resolve(null)).as(bad[0])
          .isInstanceOf(ConfigException.class).hasMessage(bad[1]);
    }
  }

  @Test
  void readsTheCompileCacheSectionAndKeepsCompiledSetsUnderTheUsersCacheByDefault() throws Exception {
    Path file = Files.writeString(dir.resolve("cache.yaml"), "cache: {directory: var/cache}\n");
    Path off = Files.writeString(dir.resolve("off.yaml"), "cache: {enabled: false}\n");

    assertThat(ConfigFile.read(file).resolve(null).cache()).isEqualTo(Path.of("var/cache"));
    assertThat(ConfigFile.read(off).resolve(null).cache()).isNull();
    assertThat(ConfigFile.EMPTY.resolve(null).cache()).isEqualTo(ConfigFile.defaultCacheDirectory());
    assertThat(ConfigFile.defaultCacheDirectory().isAbsolute()).isTrue();
    assertThat(ConfigFile.defaultCacheDirectory().toString()).endsWith("gatehouse/policy-sets");
    assertThat(ServerConfig.defaults(Path.of("policies")).cache()).as("programmatic configs keep nothing").isNull();
  }

  @Test
  void readsJsonToo() throws Exception {
    Path file = Files.writeString(dir.resolve("gatehouse.json"), "{\"port\": 0, \"bodyLimit\": 2048}");

    ServerConfig config = ConfigFile.read(file).resolve(null);

    assertThat(config.port()).isZero();
    assertThat(config.bodyLimit()).isEqualTo(2048);
    assertThat(config.authenticated()).isFalse();
  }

  @Test
  void defaultsToLoopbackOnPort8181WithA1MiBBodyLimit() throws ConfigException {
    ServerConfig config = ConfigFile.EMPTY.resolve(null);

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8181);
    assertThat(config.bodyLimit()).isEqualTo(1024 * 1024);
  }

  @Test
  void readsTokensFromTheEnvironmentVariableFormat() throws ConfigException {
    ServerConfig config = ConfigFile.EMPTY.resolve("ci:ci-secret-0123456789:decide+read, ops:ops-secret-0123456789:admin");

    assertThat(config.tokens()).extracting(ApiToken::name).containsExactly("ci", "ops");
    assertThat(config.tokens().get(0).roles()).containsExactlyInAnyOrder(Role.DECIDE, Role.READ);
    assertThat(config.tokens().get(1).roles()).containsExactly(Role.ADMIN);
  }

  @Test
  void flagsOverrideTheFile() throws ConfigException {
    ConfigFile file = new ConfigFile("127.0.0.1", 9000, Path.of("a"), null, null, null, null, null, null, null, null, null, null, null);
    ConfigFile flags = new ConfigFile(null, 0, Path.of("b"), null, null, null, null, null, null, null, null, null, null, null);

    ServerConfig config = file.overriddenBy(flags).resolve(null);

    assertThat(config.port()).isZero();
    assertThat(config.policies()).isEqualTo(Path.of("b"));
    assertThat(config.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void allowsAnyAddressOnceTokensAreConfigured() throws ConfigException {
    ConfigFile open = new ConfigFile("0.0.0.0", null, null, null, null, null, null, null, null, null, null, null, null, null);

    assertThat(open.resolve("ci:ci-secret-0123456789:decide").host()).isEqualTo("0.0.0.0");
    assertThatThrownBy(() -> open.resolve(null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("refusing to bind 0.0.0.0 without authentication");
  }

  @Test
  void refusesBadTokens() {
    assertThatThrownBy(() -> ConfigFile.EMPTY.resolve("ci:short:decide")).hasMessageContaining("shorter than 16");
    assertThatThrownBy(() -> ConfigFile.EMPTY.resolve("ci:ci-secret-0123456789:root")).hasMessage("unknown role 'root'; expected decide, read or admin");
    assertThatThrownBy(() -> ConfigFile.EMPTY.resolve("ci-secret-0123456789")).hasMessageContaining("expected name:token:role1+role2");
    assertThatThrownBy(() -> ConfigFile.EMPTY.resolve("ci:ci-secret-0123456789:"))
        .hasMessageContaining("has no roles");
    assertThatThrownBy(() -> ConfigFile.EMPTY.resolve("ci:ci-secret-0123456789:read,ci:other-secret-012345678:read"))
        .hasMessageContaining("share a name");
  }

  @Test
  void refusesUnknownKeysAndBadValues() throws IOException {
    Path typo = Files.writeString(dir.resolve("typo.yaml"), "tokenz: []\n");
    assertThatThrownBy(() -> ConfigFile.read(typo)).isInstanceOf(ConfigException.class).hasMessageContaining("tokenz");
    assertThatThrownBy(() -> new ConfigFile(null, 70_000, null, null, null, null, null, null, null, null, null, null, null, null).resolve(null))
        .hasMessage("port 70000 is out of range 0-65535");
    assertThatThrownBy(() -> new ConfigFile(null, null, null, null, null, new ConfigFile.Limits(0, null), null, null, null, null, null, null, null, null).resolve(null))
        .hasMessageStartingWith("limits: ");
  }

  @Test
  void refusesAnUnknownKeyNamingFileLineAndKey() throws IOException {
    Path typo = Files.writeString(dir.resolve("typo.yaml"), "port: 9000\nlog:\n  maxAge: P90D\n  maxRowz: 10\n");

    assertThatThrownBy(() -> ConfigFile.read(typo)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(typo + ":4:3: log.maxRowz: unknown field 'maxRowz'; expected one of enabled, maxAge,");
  }

  @Test
  void refusesWhatARequestWouldRefuseNamingFileLineAndKey() throws IOException {
    for (String[] bad : new String[][] {
        {"port: \"9000\"\n", ":1:1: port: expected a number"},
        {"host: 127.0.0.1\nlog: {enabled: \"false\"}\n", ":2:7: log.enabled: expected true or false"},
        {"log: {enabled: no}\n", ":1:7: log.enabled: expected true or false"},
        {"tokens:\n  - {name: ci, token: 1234567890123456789, roles: [decide]}\n", ":2:16: tokens[0].token: expected a string"},
        {"tokens:\n  - {name: ci, token: ci-secret-0123456789, roles: decide}\n", ":2:45: tokens[0].roles: expected a list"},
        {"port: 9000\nport: 9001\n", ":2:5: malformed document: Duplicate field 'port'"}}) {
      Path file = Files.writeString(dir.resolve("gatehouse.yaml"), bad[0]);

      assertThatThrownBy(() -> ConfigFile.read(file)).as(bad[0]).isInstanceOf(ConfigException.class)
          .hasMessage(file + bad[1]);
    }
  }

  @Test
  void readsTheAllowedHostsAndTheBoundOnBodiesReadAtOnce() throws Exception {
    Path file = Files.writeString(dir.resolve("gatehouse.yaml"), """
        allowedHosts: [Gatehouse.Internal, "[fd00::1]", 10.0.0.7]
        concurrentBodies: 8
        """);

    ServerConfig config = ConfigFile.read(file).resolve(null);

    assertThat(config.allowedHosts()).containsExactly("gatehouse.internal", "[fd00::1]", "10.0.0.7");
    assertThat(config.concurrentBodies()).isEqualTo(8);
    assertThat(config.checksHost()).isTrue();
  }

  @Test
  void checksTheHostWithoutTokensAndWithTokensOnlyOnceHostsAreListed() throws ConfigException {
    ServerConfig open = ConfigFile.EMPTY.resolve(null);
    ServerConfig authed = ConfigFile.EMPTY.resolve("ci:ci-secret-0123456789:decide");

    assertThat(open.allowedHosts()).isEmpty();
    assertThat(open.concurrentBodies()).isEqualTo(64);
    assertThat(open.checksHost()).isTrue();
    assertThat(authed.checksHost()).isFalse();
    assertThat(authed.withAllowedHosts(List.of("gatehouse.internal")).checksHost()).isTrue();
  }

  @Test
  void allowedHostsFromTheCommandLineReplaceTheFilesOnes() throws ConfigException {
    ConfigFile file = new ConfigFile(null, null, null, null, null, null, null, null, null, null, List.of("a.test"), 4, null, null);
    ConfigFile flags = new ConfigFile(null, null, null, null, null, null, null, null, null, null, List.of("b.test"), null, null, null);

    ServerConfig config = file.overriddenBy(flags).resolve(null);

    assertThat(config.allowedHosts()).containsExactly("b.test");
    assertThat(config.concurrentBodies()).isEqualTo(4);
  }

  @Test
  void refusesAnAllowedHostThatIsNotAHostNameAndABoundBelowOne() {
    for (String bad : new String[] {"http://gatehouse.internal", "gatehouse.internal:8181", "gatehouse.internal/",
        "a b", "", "*.internal", "user@gatehouse.internal", "::1"}) {
      ConfigFile file = new ConfigFile(null, null, null, null, null, null, null, null, null, null, List.of(bad), null, null, null);

      assertThatThrownBy(() -> file.resolve(null)).as(bad).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("allowedHosts: '" + bad + "' is not a host name or address");
    }
    assertThatThrownBy(() -> new ConfigFile(null, null, null, null, null, null, null, null, null, null, null, 0, null, null).resolve(null))
        .hasMessage("concurrentBodies 0 must be at least 1");
  }

  @Test
  void neverPrintsASecret() throws ConfigException {
    assertThat(ApiToken.of("ci", "ci-secret-0123456789", Set.of(Role.DECIDE), java.util.Set.of()).toString()).doesNotContain("secret");
  }
}
