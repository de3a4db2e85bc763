package dev.gatehouse.server.log;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mapping between a {@link Snapshot} and a row of the {@code snapshots} table: the files as one
 * zstd frame of (path length, path, content length, content) entries in path order.
 */
final class SnapshotRows {

  /** A revision already stored is left as it is: the same revision is the same files. */
  static final String INSERT_SQLITE =
      "INSERT OR IGNORE INTO snapshots (revision, kind, size, files) VALUES (?, ?, ?, ?)";

  /** {@link #INSERT_SQLITE} on PostgreSQL, where another replica may have stored the revision meanwhile. */
  static final String INSERT_POSTGRES =
      "INSERT INTO snapshots (revision, kind, size, files) VALUES (?, ?, ?, ?) ON CONFLICT (revision) DO NOTHING";

  static final String SELECT = "SELECT kind, files FROM snapshots WHERE revision = ?";

  // Snapshots are written once per revision, not per decision: a better ratio is worth the time.
  private static final int LEVEL = 6;

  /** As for a decision's columns: more than any snapshot is read back as, checked before allocating. */
  private static final long MAX_BYTES = 1_000_000_000L;

  private SnapshotRows() {}

  static void bind(PreparedStatement insert, Snapshot snapshot) throws SQLException {
    insert.setString(1, snapshot.revision());
    insert.setString(2, snapshot.kind().name().toLowerCase(Locale.ROOT));
    insert.setLong(3, snapshot.size());
    insert.setBytes(4, Zstd.compress(encode(snapshot), LEVEL));
  }

  /**
   * The snapshot stored under {@code revision} from its row's columns.
   *
   * @throws SQLException when the row does not read as a snapshot
   * @throws IllegalStateException when its files do not hash to {@code revision}
   */
  static Snapshot read(String revision, String kind, byte[] compressed) throws SQLException {
    long size = Zstd.getFrameContentSize(compressed);
    if (size < 0 || size > MAX_BYTES) {
      throw new SQLException("snapshot " + revision + ": not a zstd frame of a size the log writes");
    }
    TreeMap<String, byte[]> files = new TreeMap<>();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Zstd.decompress(compressed, (int) size)))) {
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String path = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
        files.put(path, in.readNBytes(in.readInt()));
      }
    } catch (IOException | ZstdException | NegativeArraySizeException e) {
      throw new SQLException("snapshot " + revision + " does not read: " + e.getMessage(), e);
    }
    return Snapshot.verified(Snapshot.Kind.valueOf(kind.toUpperCase(Locale.ROOT)), revision, files);
  }

  private static byte[] encode(Snapshot snapshot) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(snapshot.files().size());
      for (Map.Entry<String, byte[]> file : snapshot.files().entrySet()) {
        byte[] path = file.getKey().getBytes(StandardCharsets.UTF_8);
        out.writeInt(path.length);
        out.write(path);
        out.writeInt(file.getValue().length);
        out.write(file.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }
}
