package dev.gatehouse.rules;

import dev.gatehouse.rules.source.SourceTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

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
    this.revision = SourceTree.revision(this.files);
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
   * Every rule file under {@code directory}, listed by {@link SourceTree}'s rules: hidden files
   * skipped, a {@code directory} that is a symbolic link resolved at each read (so a policy
   * directory deployed as {@code policies -> releases/v2} reads the link's current target).
   */
  public static PolicyFiles read(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("policy directory not found: " + directory);
    }
    return new PolicyFiles(tree(directory).read());
  }

  /** The rule files under {@code directory}, for listing, reading or stamping them. */
  public static SourceTree tree(Path directory) {
    return new SourceTree(directory, EXTENSIONS);
  }

  /** Whether {@code path} names a rule file. */
  public static boolean isRuleFile(String path) {
    return SourceTree.hasExtension(path, EXTENSIONS);
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

  /** {@link SourceTree#revision} of the files: equal sets have equal revisions. */
  public String revision() {
    return revision;
  }

  /** The number of rule files. */
  public int size() {
    return files.size();
  }
}
