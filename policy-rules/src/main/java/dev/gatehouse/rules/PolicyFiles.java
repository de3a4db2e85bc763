package dev.gatehouse.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The rule files of a policy set ({@code .drl}, {@code .dsl}, {@code .dslr}) by path relative to
 * the policy directory, with {@code /} as separator, sorted by path.
 */
public final class PolicyFiles {

  /** The file name endings that make a file part of a policy set. */
  public static final Set<String> EXTENSIONS = Set.of(".drl", ".dsl", ".dslr");

  private final SortedMap<String, byte[]> files;
  private final String revision;

  private PolicyFiles(SortedMap<String, byte[]> files) {
    this.files = Collections.unmodifiableSortedMap(files);
    this.revision = digest(this.files);
  }

  /** A policy set from files given by relative path, e.g. sent to {@code POST /v1/policies/check}. */
  public static PolicyFiles of(Map<String, byte[]> files) {
    SortedMap<String, byte[]> copy = new TreeMap<>();
    files.forEach((path, bytes) -> {
      if (isRuleFile(path)) {
        copy.put(path.replace('\\', '/'), bytes.clone());
      }
    });
    return new PolicyFiles(copy);
  }

  /**
   * Every rule file under {@code directory}, recursively. Files starting with a dot are skipped.
   * A {@code directory} that is a symbolic link is resolved at each read, so a policy directory
   * deployed as {@code policies -> releases/v2} reads the link's current target.
   */
  public static PolicyFiles read(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("policy directory not found: " + directory);
    }
    // Files.walk does not enter a root that is a link: it would see no files at all.
    Path root = directory.toRealPath();
    SortedMap<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        if (isRuleFile(relative) && !hidden(relative)) {
          files.put(relative, Files.readAllBytes(file));
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new PolicyFiles(files);
  }

  /** Whether {@code path} names a rule file. */
  public static boolean isRuleFile(String path) {
    return EXTENSIONS.stream().anyMatch(path::endsWith);
  }

  private static boolean hidden(String relative) {
    return relative.startsWith(".") || relative.contains("/.");
  }

  /** The files by relative path, sorted. */
  public SortedMap<String, byte[]> files() {
    return files;
  }

  /** One file's text. */
  public String text(String path) {
    byte[] bytes = files.get(path);
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }

  /** {@code sha256:} over the sorted relative paths and contents, so equal sets have equal revisions. */
  public String revision() {
    return revision;
  }

  /** The number of rule files. */
  public int size() {
    return files.size();
  }

  private static String digest(SortedMap<String, byte[]> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        sha.update(file.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(file.getValue());
        sha.update((byte) 0);
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
