package dev.gatehouse.rules.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The source files under a directory: the one walker shared by the policy set, the workspace, the
 * policy tests and the watchers, so that all of them agree on which files count.
 *
 * <ul>
 *   <li>A file counts when its name ends with one of the extensions (case-sensitive) and no name on
 *       its path below the root starts with {@code .}: hidden files, and everything under a hidden
 *       directory ({@code .git}, a Kubernetes volume's {@code ..data}), are skipped. Editors'
 *       leftovers need no rule of their own: {@code .x.drl.swp} and the lock {@code .#x.drl} are
 *       hidden; {@code x.drl~}, {@code #x.drl#} and {@code x.drl.orig} do not end with an extension.
 *   <li>The root is resolved at each listing, so {@code policies -> releases/v2} lists the link's
 *       current target.
 *   <li>A symbolic link to a regular file counts, at the link's path with the target's content: a
 *       Kubernetes ConfigMap volume is made of such links. A dangling link is no file. A link to a
 *       directory is not entered: it can loop back to an ancestor or list the same files twice.
 *   <li>A directory that cannot be read fails the listing rather than leaving its files out: a
 *       policy set or workspace missing a file is not the one on disk. A file that cannot be read
 *       is listed; reading it fails, for the reader to report.
 *   <li>Paths are relative to the root, {@code /}-separated, sorted as strings.
 * </ul>
 */
public final class SourceTree {

  /** One listed file: its path relative to the root, and where to read it. */
  public record Source(String path, Path file) {}

  /**
   * What the listed files' metadata say about them: their paths, sizes, modification and change
   * times and file keys (device and inode, where the file system has them), without reading them.
   * An edit, an added, removed or renamed file, a file replaced by rename and a link pointed
   * elsewhere all change it.
   *
   * <p>It can miss one thing: a rewrite that keeps the size and the inode within the same tick of
   * the file system's clock (a few milliseconds on Linux, 1 s on HFS+, 2 s on FAT) leaves every
   * time as it was. So a stamp vouches for the content only once it is {@linkplain #settled
   * settled}: every file's times are {@link #MARGIN} older than the moment the stamp was taken,
   * so any later write gets later times (as long as the file system's clock and this host's agree
   * within the margin). The change time (ctime, where the file system has it) also catches a copy
   * that puts the old modification time back ({@code cp -p}, {@code touch -d}).
   *
   * @param digest SHA-256 over the metadata, in listing order
   * @param newest the latest modification or change time of any listed file
   */
  public record Stamp(String digest, Instant newest) {

    /** How much older than a stamp its files must be for the stamp to vouch for their content. */
    public static final Duration MARGIN = Duration.ofSeconds(2);

    /**
     * Whether a stamp taken at or after {@code takenAt} tells the content's changes: no listed file
     * was changed within {@link #MARGIN} before it. A file dated in the future (a clock ahead of
     * this host's) keeps its stamp unsettled, which only costs a read.
     */
    public boolean settled(Instant takenAt) {
      return newest.plus(MARGIN).isBefore(takenAt);
    }
  }

  private final Path directory;
  private final Set<String> extensions;

  /** The files under {@code directory} whose names end with one of {@code extensions}, such as {@code .drl}. */
  public SourceTree(Path directory, Set<String> extensions) {
    this.directory = directory;
    this.extensions = Set.copyOf(extensions);
  }

  /** The directory as given, not resolved. */
  public Path directory() {
    return directory;
  }

  /** Whether {@code path} ends with one of {@code extensions}: the one test of a file's kind. */
  public static boolean hasExtension(String path, Set<String> extensions) {
    return extensions.stream().anyMatch(path::endsWith);
  }

  /** The listed files, sorted by path. */
  public List<Source> list() throws IOException {
    return walk().files();
  }

  /** Every listed file's content by path, sorted. */
  public SortedMap<String, byte[]> read() throws IOException {
    SortedMap<String, byte[]> contents = new TreeMap<>();
    for (Source source : list()) {
      contents.put(source.path(), Files.readAllBytes(source.file()));
    }
    return contents;
  }

  /** The directories a listing enters, the resolved root first: the ones a watcher has to watch. */
  public List<Path> directories() throws IOException {
    return walk().directories();
  }

  /** The listed files' stamp, read from their metadata only. */
  public Stamp stamp() throws IOException {
    Walk walk = walk();
    // The "unix" view adds the change time; elsewhere the basic attributes are all there is.
    boolean unix = walk.root().getFileSystem().supportedFileAttributeViews().contains("unix");
    String attributes = unix ? "unix:size,lastModifiedTime,ctime,fileKey" : "size,lastModifiedTime,fileKey";
    MessageDigest sha = sha256();
    update(sha, walk.root().toString());
    Instant newest = Instant.MIN;
    for (Source source : walk.files()) {
      // Follows a link: its target's metadata, so pointing it elsewhere changes the stamp.
      Map<String, Object> read = Files.readAttributes(source.file(), attributes);
      FileTime modified = (FileTime) read.get("lastModifiedTime");
      FileTime changed = unix ? (FileTime) read.get("ctime") : modified;
      update(sha, source.path());
      update(sha, read.get("size") + " " + modified + " " + changed + " " + read.get("fileKey"));
      newest = max(newest, max(modified.toInstant(), changed.toInstant()));
    }
    return new Stamp(HexFormat.of().formatHex(sha.digest()), newest);
  }

  /**
   * The revision of a set of files: {@code sha256:} and the lowercase hex SHA-256 over each file's
   * path (UTF-8), a 0 byte, its content and a 0 byte, in path order. Logged decisions name policy
   * and workspace revisions, so this byte format must never change.
   */
  public static String revision(SortedMap<String, byte[]> files) {
    MessageDigest sha = sha256();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      update(sha, file.getKey());
      sha.update(file.getValue());
      sha.update((byte) 0);
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  private record Walk(Path root, List<Source> files, List<Path> directories) {}

  private Walk walk() throws IOException {
    // Files.walkFileTree does not enter a root that is a link: it would list nothing.
    Path root = directory.toRealPath();
    if (!Files.isDirectory(root)) {
      throw new NotDirectoryException(directory.toString());
    }
    List<Source> files = new ArrayList<>();
    List<Path> directories = new ArrayList<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (!dir.equals(root) && hidden(dir)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        directories.add(dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        // Without FOLLOW_LINKS a link arrives here with its own attributes, a link to a directory too.
        boolean regular = attrs.isRegularFile() || attrs.isSymbolicLink() && Files.isRegularFile(file);
        if (regular && !hidden(file) && hasExtension(file.getFileName().toString(), extensions)) {
          files.add(new Source(relative(root, file), file));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        // Removed while the tree is listed: not in it (the next listing agrees). Hidden: skipped
        // whatever its state.
        if (e instanceof NoSuchFileException || hidden(file)) {
          return FileVisitResult.CONTINUE;
        }
        // A directory that cannot be opened would leave its files out unseen.
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
          throw e;
        }
        // A file that cannot even be looked at is listed all the same: reading it fails as well,
        // and the reader says which file.
        if (hasExtension(file.getFileName().toString(), extensions)) {
          files.add(new Source(relative(root, file), file));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    files.sort(Comparator.comparing(Source::path));
    return new Walk(root, List.copyOf(files), List.copyOf(directories));
  }

  private static boolean hidden(Path path) {
    return path.getFileName().toString().startsWith(".");
  }

  private static String relative(Path root, Path file) {
    List<String> names = new ArrayList<>();
    root.relativize(file).forEach(name -> names.add(name.toString()));
    return String.join("/", names);
  }

  /** Adds {@code text} and the 0 byte that ends it. */
  private static void update(MessageDigest sha, String text) {
    sha.update(text.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
