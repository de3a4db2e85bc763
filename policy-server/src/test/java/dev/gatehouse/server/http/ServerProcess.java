package dev.gatehouse.server.http;

import dev.gatehouse.server.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code gatehouse serve} in a JVM of its own, on a free port, without authentication: for SIGKILL tests. */
final class ServerProcess implements AutoCloseable {

  private static final Pattern SERVING = Pattern.compile("^gatehouse serving .* on http://127\\.0\\.0\\.1:(\\d+)$");

  private final Process process;
  private final Path log;
  private final int port;

  private ServerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** A server over {@code policies} logging to {@code data}, without a workspace; its stderr goes to {@code log}. */
  static ServerProcess start(Path policies, Path data, Path log) throws Exception {
    return start(log, "--policies", policies.toString(), "--data", data.toString(), "--no-workspace");
  }

  /** {@code gatehouse serve --port 0} with {@code args}; its stderr goes to {@code log}. */
  static ServerProcess start(Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", "0"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    try {
      return new ServerProcess(process, log, CompletableFuture.supplyAsync(() -> readPort(process))
          .get(60, TimeUnit.SECONDS));
    } catch (Exception | AssertionError e) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("server did not start; its log:\n" + Files.readString(log), e);
    }
  }

  /** The port from the startup line on stdout: {@code gatehouse serving ... on http://127.0.0.1:PORT}. */
  private static int readPort(Process process) {
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher serving = SERVING.matcher(line);
        if (serving.matches()) {
          return Integer.parseInt(serving.group(1));
        }
      }
      throw new AssertionError("the server exited with " + process.waitFor() + " before serving");
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  int port() {
    return port;
  }

  /** The server's log so far, for failure messages. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** SIGKILL on Linux: no shutdown hook, no close of the log, requests in flight. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("server process did not stop; its log is " + log);
    }
  }
}
