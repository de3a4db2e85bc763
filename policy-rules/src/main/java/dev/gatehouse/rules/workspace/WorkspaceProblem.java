package dev.gatehouse.rules.workspace;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.gatehouse.model.json.Location;

/**
 * A problem found while loading a workspace file: what is wrong and where. Its JSON form is {@code
 * file}, {@code line} and a {@code message} that starts with the JSON path at fault.
 *
 * @param location the workspace-relative path of the file, with {@code /} separators; the 1-based
 *     line of the problem, or 0 when it concerns the file as a whole; the JSON path of a bad value
 * @param problem what is wrong, one lower-case line in policy terms
 */
@JsonPropertyOrder({"file", "line", "message"})
public record WorkspaceProblem(@JsonIgnore Location location, @JsonIgnore String problem) {

  public WorkspaceProblem {
    // A problem is placed by line alone, as its JSON form is.
    location = location.at(location.line(), 0);
  }

  /** A problem at {@code line} of {@code file} (0: the file as a whole). */
  public WorkspaceProblem(String file, int line, String problem) {
    this(Location.ofFile(file).at(line, 0), problem);
  }

  /** The workspace-relative path of the file. */
  @JsonProperty
  public String file() {
    return location.file();
  }

  /** The line of the problem, or 0 when it concerns the file as a whole. */
  @JsonProperty
  public int line() {
    return location.line();
  }

  /** The problem with the JSON path at fault, such as {@code approvals[1].recordedAt: expected a timestamp}. */
  @JsonProperty
  public String message() {
    return Location.of(location.path()).describe(problem);
  }

  /** The problem as one line: {@code file:line: path: message}, leaving out what is unknown. */
  public String describe() {
    return location.describe(problem);
  }
}
