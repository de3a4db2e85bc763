package dev.gatehouse.server.files;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One-line descriptions of file errors. Java's own messages of the commonest ones are the bare path
 * ({@code NoSuchFileException: nope}), which leaves a user to guess what is wrong with it.
 */
public final class FileErrors {

  private FileErrors() {}

  /** What went wrong, in one line that names the file. */
  public static String describe(Exception e) {
    if (e instanceof NoSuchFileException missing) {
      return "no such file or directory: " + missing.getFile();
    }
    if (e instanceof AccessDeniedException denied) {
      return "permission denied: " + denied.getFile();
    }
    if (e instanceof NotDirectoryException notDirectory) {
      return "not a directory: " + notDirectory.getFile();
    }
    if (e instanceof FileSystemException other && other.getReason() != null) {
      return other.getFile() + ": " + other.getReason();
    }
    return e.getMessage() == null ? "unexpected failure (" + e.getClass().getSimpleName() + ")" : e.getMessage();
  }
}
