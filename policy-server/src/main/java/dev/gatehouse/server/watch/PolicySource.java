package dev.gatehouse.server.watch;

import dev.gatehouse.rules.PolicyEngine.Reload;
import java.io.IOException;

/**
 * Where a server's active policy set comes from and how it is kept current: the policy directory
 * ({@link PolicyWatcher}, one server) or the database replicas share ({@link ActivationWatcher}).
 */
public interface PolicySource extends AutoCloseable {

  /** Loads the active set now, on the caller's thread: the first load, before any request. */
  Reload load();

  /** Whether it is compiling a new active set now (decisions keep off the event loops meanwhile). */
  boolean reloading();

  /** Starts keeping the engine's active set current. */
  void start() throws IOException;

  @Override
  void close();
}
