package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.Issue;
import dev.gatehouse.model.json.Location;
import dev.gatehouse.rules.source.SourceTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * Loads a workspace directory: planning markdown ({@code .md}) and fact files ({@code .yaml},
 * {@code .yml}, {@code .json}) below it, listed by {@link SourceTree}'s rules (hidden files and
 * directories skipped). A bad file or item becomes a {@link WorkspaceProblem}; everything else
 * still loads.
 */
public final class WorkspaceLoader {

  private static final Set<String> EXTENSIONS = Set.of(".md", ".yaml", ".yml", ".json");

  private WorkspaceLoader() {}

  /**
   * Reads every workspace file below {@code dir}.
   *
   * @throws IOException if {@code dir} cannot be listed; a single unreadable file is a problem instead
   */
  public static Workspace load(Path dir) throws IOException {
    return Workspace.of(readAll(dir));
  }

  /**
   * Reads every workspace file below {@code dir} again, as after an edit. A file whose current
   * content cannot be read as a whole (unparsable YAML or JSON, bytes that are not UTF-8 text)
   * keeps its last good facts from {@code previous}, and its problem is still reported.
   *
   * @throws IOException if {@code dir} cannot be listed
   */
  public static Workspace reload(Workspace previous, Path dir) throws IOException {
    List<LoadedFile> files = new ArrayList<>();
    for (LoadedFile file : readAll(dir)) {
      Optional<LoadedFile> lastGood = file.broken()
          ? previous.loaded(file.path()).filter(LoadedFile::hasGoodFacts)
          : Optional.empty();
      files.add(lastGood.map(file::keeping).orElse(file));
    }
    return Workspace.of(files);
  }

  /**
   * The workspace whose {@link Workspace#contents()} were {@code contents}: the same facts, sources
   * and revision, read from the bytes rather than a directory. A path whose bytes are not planning
   * (the empty content of a file that could not be read) stays in, as in the workspace it came from.
   */
  public static Workspace rebuild(SortedMap<String, byte[]> contents) {
    List<LoadedFile> files = new ArrayList<>();
    contents.forEach((path, content) -> files.add(read(path, content).orElseGet(() ->
        LoadedFile.broken(path, kindOf(path), content, new WorkspaceProblem(path, 0, "file could not be read")))));
    return Workspace.of(files);
  }

  /** The workspace files under {@code dir}, for listing, reading or stamping them. */
  public static SourceTree tree(Path dir) {
    return new SourceTree(dir, EXTENSIONS);
  }

  /** The files read, sorted by path as the listing is. */
  private static List<LoadedFile> readAll(Path dir) throws IOException {
    List<LoadedFile> files = new ArrayList<>();
    for (SourceTree.Source source : tree(dir).list()) {
      String path = source.path();
      byte[] content;
      try {
        content = Files.readAllBytes(source.file());
      } catch (IOException e) {
        files.add(LoadedFile.broken(path, kindOf(path), new byte[0],
            new WorkspaceProblem(Location.ofFile(path), "file could not be read")));
        continue;
      }
      read(path, content).ifPresent(files::add);
    }
    return files;
  }

  /** The file read as planning or facts, or empty for markdown that is not planning. */
  private static Optional<LoadedFile> read(String path, byte[] content) {
    if (kindOf(path) == WorkspaceFile.Kind.FACTS) {
      return Optional.of(FactFileReader.read(path, content));
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      return Optional.of(LoadedFile.broken(path, WorkspaceFile.Kind.PLANNING, content,
          new WorkspaceProblem(Location.ofFile(path), "file is not utf-8 text")));
    }
    PlanningDocument doc = PlanningMarkdown.parse(path, text);
    if (!doc.planning()) {
      return Optional.empty();
    }
    List<LocatedFact> facts = new ArrayList<>();
    doc.issues().forEach(issue -> facts.add(new LocatedFact(issue, doc.issueLines().get(issue.id()))));
    // An issue the reader could not read is not served; its doubt stands in for it, so a gate that
    // asks about it denies issue-unreadable instead of deciding on a guess.
    doc.doubts().forEach(doubt -> facts.add(new LocatedFact(doubt, doc.issueLines().get(doubt.issue()))));
    return Optional.of(new LoadedFile(path, WorkspaceFile.Kind.PLANNING, content, facts, doc.problems(), false, false,
        doc.frontMatter()));
  }

  private static WorkspaceFile.Kind kindOf(String name) {
    return name.endsWith(".md") ? WorkspaceFile.Kind.PLANNING : WorkspaceFile.Kind.FACTS;
  }
}
