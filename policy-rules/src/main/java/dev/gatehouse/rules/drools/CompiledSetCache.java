package dev.gatehouse.rules.drools;

import dev.gatehouse.rules.PolicyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled policy sets kept on disk, one file per revision, so that a revision compiled once is
 * loaded, not compiled, by every later {@code serve}, {@code eval}, {@code check} or {@code test}.
 *
 * <p>An entry is keyed by the revision and by the builds that compiled it (Gatehouse's version and
 * build time, Drools' version, the JVM's), and carries the sandbox's verdict on exactly the sources
 * the revision names, the digest of the class bytes the sandbox's bytecode check read, and a digest
 * over all its bytes. An entry that is damaged, of another format, or of another revision or build
 * is never used: it is logged, counted as {@link Counts#rejected()}, and the set is compiled again
 * and the entry rewritten.
 *
 * <p>Invariant: nothing is read from or written to a directory (or an entry) that is a symbolic
 * link, is owned by another user, or that group or others may write: whoever could write there
 * could plant a set the sandbox never saw. Such a directory is logged once and not used; the
 * compiler then compiles every set, as without a cache.
 *
 * <p>The cache holds at most {@link #MAX_ENTRIES} entries; the least recently used go first.
 */
public final class CompiledSetCache {

  private static final Logger LOG = LoggerFactory.getLogger(CompiledSetCache.class);

  /** The most entries kept; a hot-reloading author makes one per saved revision. */
  public static final int MAX_ENTRIES = 32;

  static final String SUFFIX = ".set";
  private static final long MAX_ENTRY_BYTES = 256L * 1024 * 1024;
  // A temporary file this old was left by a process that died while writing it.
  private static final Duration STALE_TEMPORARY = Duration.ofMinutes(10);
  private static final Build BUILD = Build.read();

  /**
   * How the cache was used since it was created.
   *
   * @param hits sets loaded from an entry instead of compiled
   * @param misses sets with no entry, compiled
   * @param rejected entries ignored (damaged, foreign, refused by the sandbox, unsafe) and compiled again
   * @param written entries written
   */
  public record Counts(long hits, long misses, long rejected, long written) {}

  private final Path directory;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicBoolean unsafeLogged = new AtomicBoolean();

  private CompiledSetCache(Path directory) {
    this.directory = directory;
  }

  /** A cache in {@code directory}, created (readable and writable by this user only) when first written. */
  public static CompiledSetCache in(Path directory) {
    return new CompiledSetCache(directory.toAbsolutePath().normalize());
  }

  /** The directory entries are kept in. */
  public Path directory() {
    return directory;
  }

  /** How the cache was used so far. */
  public Counts counts() {
    return new Counts(hits.get(), misses.get(), rejected.get(), written.get());
  }

  /**
   * Whether this build can key entries: a build whose version or build time is unknown (resources
   * not filtered) would share keys with other builds, so it keeps nothing.
   */
  public static boolean available() {
    return BUILD.known();
  }

  /** The key of {@code files}' set under this build. */
  static CachedSet.Key key(PolicyFiles files) {
    return new CachedSet.Key(files.revision(), BUILD.gatehouse(), BUILD.drools(), BUILD.jvm());
  }

  /** The entry of {@code files}' revision, verified and of this build; empty when there is none to trust. */
  Optional<CachedSet> read(PolicyFiles files) {
    if (!BUILD.known() || !safeDirectory(false)) {
      misses.incrementAndGet();
      return Optional.empty();
    }
    CachedSet.Key key = key(files);
    Path entry = entry(key);
    byte[] bytes;
    try {
      bytes = readEntry(entry);
    } catch (NoSuchFileException e) {
      misses.incrementAndGet();
      return Optional.empty();
    } catch (IOException e) {
      reject(entry, e.getMessage());
      return Optional.empty();
    }
    CachedSet set;
    try {
      set = CachedSet.decode(bytes);
    } catch (CachedSet.Damaged e) {
      reject(entry, e.getMessage());
      return Optional.empty();
    }
    if (!set.key().equals(key)) {
      reject(entry, "it was compiled from or by something else (" + describe(set.key()) + "), not " + describe(key));
      return Optional.empty();
    }
    if (!CachedSet.PASSED.equals(set.verdict())) {
      reject(entry, "it does not record that the sandbox passed its sources");
      return Optional.empty();
    }
    return Optional.of(set);
  }

  /** Counts a loaded entry as used, and marks it recently used. */
  void used(CachedSet set) {
    hits.incrementAndGet();
    try {
      Files.setLastModifiedTime(entry(set.key()), FileTime.from(Instant.now()));
    } catch (IOException | RuntimeException e) {
      // Only the order of eviction depends on it.
    }
  }

  /** Ignores the entry of {@code key}: logged and counted; the caller compiles and writes it anew. */
  void reject(CachedSet.Key key, String why) {
    reject(entry(key), why);
  }

  private void reject(Path entry, String why) {
    rejected.incrementAndGet();
    LOG.warn("ignoring the cached policy set {}: {}; compiling it again", entry, why);
  }

  /**
   * Writes {@code set}, replacing any entry of its key in one rename, so that a reader sees the
   * old entry or the new one, never a part. A failure is logged; the compiled set is used all the same.
   */
  void write(CachedSet set) {
    if (!BUILD.known()) {
      return;
    }
    try {
      create();
      if (!safeDirectory(true)) {
        return;
      }
      byte[] bytes = set.encode();
      Path target = entry(set.key());
      Path temporary = posix()
          ? Files.createTempFile(directory, ".", ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : Files.createTempFile(directory, ".", ".tmp");
      try {
        Files.write(temporary, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
      written.incrementAndGet();
      prune();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot write the compiled policy set {} to {}: {}", set.key().revision(), directory, e.toString());
    }
  }

  private Path entry(CachedSet.Key key) {
    String joined = String.join("\n", "format " + CachedSet.FORMAT, key.revision(), key.gatehouse(), key.drools(), key.jvm());
    String name = HexFormat.of().formatHex(PackageStreams.sha256().digest(joined.getBytes(StandardCharsets.UTF_8)));
    return directory.resolve(name.substring(0, 40) + SUFFIX);
  }

  private byte[] readEntry(Path entry) throws IOException {
    // Not through a link, and only a file of this user that others cannot write.
    try (SeekableByteChannel channel = Files.newByteChannel(entry, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      String unsafe = unsafe(entry, false);
      if (unsafe != null) {
        throw new IOException(unsafe);
      }
      long size = channel.size();
      if (size > MAX_ENTRY_BYTES) {
        throw new IOException("it is larger than " + MAX_ENTRY_BYTES + " bytes");
      }
      try (InputStream in = java.nio.channels.Channels.newInputStream(channel)) {
        return in.readNBytes((int) size + 1);
      }
    }
  }

  private void create() throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    if (posix()) {
      Files.createDirectories(directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(directory);
    }
  }

  /** Whether the directory may be used; logs why not, once. A missing directory is safe to read (it holds nothing). */
  private boolean safeDirectory(boolean mustExist) {
    if (!mustExist && !Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    String unsafe;
    try {
      unsafe = unsafe(directory, true);
    } catch (IOException e) {
      unsafe = "it cannot be read: " + e.getMessage();
    }
    if (unsafe == null) {
      return true;
    }
    if (unsafeLogged.compareAndSet(false, true)) {
      LOG.warn("not using the compile cache {}: {}; every policy set is compiled", directory, unsafe);
    }
    return false;
  }

  /** Why {@code path} may not be trusted, or null when it may. */
  private static String unsafe(Path path, boolean directory) throws IOException {
    if (!posix()) {
      return null;
    }
    PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attributes.isSymbolicLink()) {
      return "it is a symbolic link";
    }
    if (directory != attributes.isDirectory() || !directory && !attributes.isRegularFile()) {
      return directory ? "it is not a directory" : "it is not a regular file";
    }
    UserPrincipal me = FileSystems.getDefault().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
    if (!attributes.owner().equals(me)) {
      return "it is owned by " + attributes.owner().getName() + ", not by " + me.getName();
    }
    if (attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
        || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
      return "group or others may write it (" + PosixFilePermissions.toString(attributes.permissions()) + ")";
    }
    return null;
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Deletes all but the {@link #MAX_ENTRIES} most recently used entries, and temporaries left by dead writers. */
  private void prune() throws IOException {
    List<Path> entries = new ArrayList<>();
    Instant stale = Instant.now().minus(STALE_TEMPORARY);
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
      for (Path path : listing) {
        String name = path.getFileName().toString();
        if (name.endsWith(SUFFIX)) {
          entries.add(path);
        } else if (name.startsWith(".") && name.endsWith(".tmp")
            && Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(stale)) {
          Files.deleteIfExists(path);
        }
      }
    }
    if (entries.size() <= MAX_ENTRIES) {
      return;
    }
    entries.sort(Comparator.comparing(CompiledSetCache::modified).reversed());
    for (Path old : entries.subList(MAX_ENTRIES, entries.size())) {
      Files.deleteIfExists(old);
    }
  }

  private static FileTime modified(Path path) {
    try {
      return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static String describe(CachedSet.Key key) {
    return "revision " + key.revision() + ", Gatehouse " + key.gatehouse() + ", Drools " + key.drools() + ", JVM " + key.jvm();
  }

  /** The builds this process's entries are keyed by. */
  private record Build(String gatehouse, String drools, String jvm, boolean known) {

    static Build read() {
      Properties gatehouse = properties(CompiledSetCache.class, "build.properties");
      Properties drools = properties(org.drools.core.impl.InternalRuleBase.class,
          "/META-INF/maven/org.drools/drools-core/pom.properties");
      String version = gatehouse.getProperty("version", "");
      String built = gatehouse.getProperty("built", "");
      String droolsVersion = drools.getProperty("version", "");
      boolean known = !version.isEmpty() && !built.isEmpty() && !version.contains("${") && !built.contains("${")
          && !droolsVersion.isEmpty();
      return new Build(version + " built " + built, droolsVersion,
          System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.version"), known);
    }

    private static Properties properties(Class<?> near, String name) {
      Properties properties = new Properties();
      try (InputStream in = near.getResourceAsStream(name)) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        // An unknown build keeps nothing (see known).
      }
      return properties;
    }
  }
}
