package dev.gatehouse.server.log;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the test database that a test can cut: the most faithful way to make the
 * database go away for a server while it runs (its connections break, new ones are refused) and
 * come back on the same address.
 */
public final class TcpProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listening;

  private TcpProxy(InetSocketAddress target, ServerSocket listening) {
    this.target = target;
    this.listening = listening;
    this.port = listening.getLocalPort();
    accept(listening);
  }

  /** A proxy on a free port of 127.0.0.1 to {@code host:port}, accepting connections. */
  public static TcpProxy to(String host, int port) throws IOException {
    return new TcpProxy(new InetSocketAddress(host, port), bind(0));
  }

  /** A proxy to the server of {@code url}'s database. */
  public static TcpProxy to(PostgresUrl url) throws IOException {
    String rest = url.jdbcUrl().substring("jdbc:postgresql://".length());
    String hostPort = rest.substring(0, rest.indexOf('/'));
    int colon = hostPort.lastIndexOf(':');
    return to(colon < 0 ? hostPort : hostPort.substring(0, colon), colon < 0 ? 5432 : Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** {@code url} through this proxy. */
  public PostgresUrl route(PostgresUrl url) {
    String rest = url.jdbcUrl().substring("jdbc:postgresql://".length());
    String jdbc = "jdbc:postgresql://127.0.0.1:" + port + rest.substring(rest.indexOf('/'));
    return new PostgresUrl(jdbc, url.properties(), url + " through a proxy on port " + port);
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** Breaks every connection through it and refuses new ones, as a database that went away. */
  public synchronized void cut() throws IOException {
    ServerSocket current = listening;
    listening = null;
    if (current != null) {
      current.close();
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  /** Accepts connections again on the same port, as the database come back. */
  public synchronized void restore() throws IOException {
    if (listening == null) {
      listening = bind(port);
      accept(listening);
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  private void accept(ServerSocket server) {
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket upstream = new Socket();
          try {
            upstream.connect(target, 5_000);
          } catch (IOException e) {
            closeQuietly(client);
            continue;
          }
          open.add(client);
          open.add(upstream);
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          return; // closed by cut()
        }
      }
    }, "tcp-proxy-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void pump(Socket from, Socket to) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // A side closed or was cut: end both.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-proxy-pump-" + port);
    pump.setDaemon(true);
    pump.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Going away is what was asked for.
    }
  }
}
