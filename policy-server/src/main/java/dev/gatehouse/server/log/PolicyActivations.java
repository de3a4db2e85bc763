package dev.gatehouse.server.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The one active policy set of replicas that share a PostgreSQL log: every activation is a row of
 * {@code policy_activations} (the newest is the active set) naming a policy revision whose files are
 * its snapshot, stored as the log stores every revision that decided something. An activation
 * notifies {@value #CHANNEL} in its transaction, so every replica listening hears of it once it is
 * committed; replicas also poll, for a notification missed while their connection was down.
 */
public final class PolicyActivations {

  /** The channel activations are announced on; the payload is the activation's id. */
  public static final String CHANNEL = "gatehouse_policy_activations";

  /**
   * One activation.
   *
   * @param id its number: activations are numbered in the order they were made, the newest is active
   * @param revision the policy revision activated
   * @param activatedAt when
   * @param activatedBy who: the principal that asked, or the replica that seeded an empty database
   */
  public record Activation(long id, String revision, Instant activatedAt, String activatedBy) {}

  private final PostgresUrl url;

  private PolicyActivations(PostgresUrl url) {
    this.url = url;
  }

  /**
   * The activations in the database at {@code url}, whose schema is brought to the newest version.
   *
   * @throws LogUnavailableException when the database cannot be reached
   */
  public static PolicyActivations open(PostgresUrl url) {
    PostgresDecisionLog.migrate(url);
    return new PolicyActivations(url);
  }

  /** The refusal when the database cannot be reached for {@code doing}: {@code log-unavailable}. */
  public LogUnavailableException unreachable(String doing, SQLException e) {
    return LogUnavailableException.unavailable("cannot " + doing + " at " + url + ": " + e.getMessage(), e);
  }

  /** The database, for messages. */
  public PostgresUrl url() {
    return url;
  }

  /**
   * Makes {@code policy} the active set of every replica: stores its files (unless stored already)
   * and a new activation, and notifies the replicas, in one transaction.
   */
  public Activation activate(Snapshot policy, String by) throws SQLException {
    try (Connection c = url.connect()) {
      c.setAutoCommit(false);
      try {
        Activation activation = insert(c, policy, by);
        c.commit();
        return activation;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * What {@link #activateIfNone} found or made.
   *
   * @param activation the active set's activation afterwards
   * @param seeded whether this call made it, rather than finding one
   */
  public record Seed(Activation activation, boolean seeded) {}

  /**
   * Activates {@code policy} only when the database holds no activation yet: how the first replica
   * started against an empty database seeds it from its policy directory. Replicas starting at once
   * take turns, so exactly one seeds.
   */
  public Seed activateIfNone(Snapshot policy, String by) throws SQLException {
    try (Connection c = url.connect()) {
      c.setAutoCommit(false);
      try {
        try (Statement st = c.createStatement()) {
          // Blocks other seeds (and activations) until this transaction ends; reads go on.
          st.execute("LOCK TABLE policy_activations IN SHARE ROW EXCLUSIVE MODE");
        }
        Optional<Activation> found = newest(c);
        Seed seed = found.isPresent() ? new Seed(found.get(), false) : new Seed(insert(c, policy, by), true);
        c.commit();
        return seed;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static Activation insert(Connection c, Snapshot policy, String by) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL synchronous_commit = on");
    }
    try (PreparedStatement ps = c.prepareStatement(SnapshotRows.INSERT_POSTGRES)) {
      SnapshotRows.bind(ps, policy);
      ps.executeUpdate();
    }
    Instant now = Instant.now();
    long id;
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO policy_activations (revision, activated_at, activated_by) VALUES (?, ?, ?) RETURNING id")) {
      ps.setString(1, policy.revision());
      ps.setLong(2, Rows.epochNanos(now));
      ps.setString(3, by);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, CHANNEL);
      ps.setString(2, Long.toString(id));
      ps.executeQuery().close();
    }
    return new Activation(id, policy.revision(), now, by);
  }

  private static Optional<Activation> newest(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, revision, activated_at, activated_by FROM policy_activations"
            + " ORDER BY id DESC LIMIT 1")) {
      return rs.next()
          ? Optional.of(new Activation(rs.getLong(1), rs.getString(2), Rows.instant(rs.getLong(3)), rs.getString(4)))
          : Optional.empty();
    }
  }

  /** A listener of activations, on a connection of its own; for one thread. */
  public Listener listen() {
    return new Listener();
  }

  /**
   * Hears of activations on one connection that {@code LISTEN}s, and reads the active set on it.
   * When the connection breaks, the next call opens another (and listens again): a replica that lost
   * the database keeps asking, and hears again once it is back.
   */
  public final class Listener implements AutoCloseable {

    private Connection connection;

    private Listener() {}

    /**
     * Waits until an activation is announced or {@code timeout} has passed.
     *
     * @return whether one was announced
     * @throws SQLException when the database cannot be reached; the next call tries again
     */
    public boolean await(Duration timeout) throws SQLException {
      try {
        PGNotification[] heard = connection().unwrap(PGConnection.class).getNotifications((int) Math.max(1, timeout.toMillis()));
        return heard != null && heard.length > 0;
      } catch (SQLException e) {
        drop();
        throw e;
      }
    }

    /** The newest activation: the active set. */
    public Optional<Activation> newest() throws SQLException {
      try {
        return PolicyActivations.newest(connection());
      } catch (SQLException e) {
        drop();
        throw e;
      }
    }

    /**
     * The files of a policy revision.
     *
     * @throws IllegalStateException when the stored files do not hash to {@code revision}: altered
     * @throws SQLException when none is stored or the database cannot be reached
     */
    public Snapshot files(String revision) throws SQLException {
      try (PreparedStatement ps = connection().prepareStatement(SnapshotRows.SELECT)) {
        ps.setString(1, revision);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("no files are stored for policy revision " + revision);
          }
          return SnapshotRows.read(revision, rs.getString(1), rs.getBytes(2));
        }
      } catch (SQLException e) {
        if (connection != null && !connection.isValid(1)) {
          drop();
        }
        throw e;
      }
    }

    private Connection connection() throws SQLException {
      if (connection == null) {
        Connection c = url.connect();
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + CHANNEL);
        } catch (SQLException e) {
          c.close();
          throw e;
        }
        connection = c;
      }
      return connection;
    }

    private void drop() {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          // Broken already: nothing to release but the object.
        }
        connection = null;
      }
    }

    @Override
    public void close() {
      drop();
    }
  }
}
