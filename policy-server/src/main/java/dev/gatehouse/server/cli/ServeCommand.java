package dev.gatehouse.server.cli;

import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.server.files.FileErrors;
import dev.gatehouse.server.GatehouseServer;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.ConfigFile;
import dev.gatehouse.server.config.ServerConfig;
import dev.gatehouse.server.log.PostgresUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse serve}: the HTTP API over a policy directory, until the process is stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the HTTP API over a policy directory, reloading it when its files change.")
final class ServeCommand implements Callable<Integer> {

  @Option(names = "--policies", paramLabel = "DIR", description = "Policy directory (default: the bundled policies/).")
  Path policies;

  @Option(names = "--port", paramLabel = "N", description = "Port to listen on, 0 for any free one (default: 8181).")
  Integer port;

  @Option(names = "--host", paramLabel = "H", description = "Address to bind (default: 127.0.0.1); any other than loopback needs tokens.")
  String host;

  @Option(names = "--data", paramLabel = "DIR", description = "Data directory of the decision log (default: data).")
  Path data;

  @Option(names = "--workspace", paramLabel = "DIR", description = "Governance files to decide from (default: the bundled demo examples/workspace).")
  Path workspace;

  @Option(names = "--no-workspace", description = "Take every fact from requests.")
  boolean noWorkspace;

  @Option(names = "--workspace-only", paramLabel = "KINDS", split = ",",
      description = "Fact kinds a request may not carry while a workspace is in use (default: approvals; 'none' for none).")
  List<String> workspaceOnly;

  @Option(names = "--allowed-host", paramLabel = "NAME", split = ",",
      description = "A host name requests may use besides localhost, 127.x.y.z and [::1] (repeatable; replaces the config file's allowedHosts).")
  List<String> allowedHosts;

  @Option(names = "--settle-millis", paramLabel = "MS",
      description = "How long policy and workspace files must stay unchanged before a reload reads them (default: 300).")
  Long settleMillis;

  @Mixin ConfigOption config;

  @Mixin LogUrlOption logUrl;

  @Spec CommandSpec spec;

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    ServerConfig resolved;
    try {
      resolved = resolve();
    } catch (ConfigException e) {
      err.println("gatehouse serve: " + e.getMessage());
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    GatehouseServer server;
    try {
      server = GatehouseServer.start(resolved);
    } catch (IOException | RuntimeException e) {
      // One line rather than a stack trace; the address only when binding it failed.
      err.println("gatehouse serve: " + (bindFailure(e)
          ? "cannot serve on " + resolved.host() + ":" + resolved.port() + ": " + e.getMessage()
          : FileErrors.describe(e)));
      err.flush();
      return ExitCodes.FAILED;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "gatehouse-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println(startupLine(server, resolved));
    out.flush();
    stopped.await();
    return 0;
  }

  /** Flags over the config file over the defaults; tokens from the file and the environment. */
  private ServerConfig resolve() throws ConfigException {
    ConfigFile flags = new ConfigFile(host, port, policies, data, null, null, null, null, workspace, workspaceOnly,
        allowedHosts, null, settleMillis, null);
    ServerConfig resolved = config.resolve(flags);
    if (logUrl.url != null) {
      try {
        resolved = resolved.withLog(resolved.log().withPostgres(PostgresUrl.parse(logUrl.url)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--log-url: " + e.getMessage());
      }
    }
    if (noWorkspace) {
      resolved = resolved.withWorkspace(null);
    }
    if (resolved.workspace() != null && !Files.isDirectory(resolved.workspace())) {
      throw new ConfigException("workspace directory not found: " + resolved.workspace());
    }
    if (!Files.isDirectory(resolved.policies())) {
      throw new ConfigException("policy directory not found: " + resolved.policies());
    }
    return resolved;
  }

  private static boolean bindFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static String startupLine(GatehouseServer server, ServerConfig config) {
    String address = "http://" + config.host() + ":" + server.port();
    String policies = server.engine().active()
        .map(ServeCommand::describe)
        .orElseGet(() -> "no policy set (" + server.firstLoad().errors().size() + " compile error(s), see the log)");
    String workspace = server.workspace() == null ? "" : ", workspace " + server.workspace().directory()
        + " (" + server.workspace().current().revision() + ")";
    String log = !config.logging() ? ", decision log off"
        : config.log().onPostgres() ? ", decision log and active policy set in " + config.log().postgres()
        : ", decision log " + config.data().resolve("decisions.db");
    return "gatehouse serving " + policies + workspace + log + " on " + address;
  }

  private static String describe(PolicySet set) {
    return "policy revision " + set.revision() + " (" + set.rules().size() + " rules)";
  }
}
