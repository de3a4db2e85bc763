package dev.gatehouse.server.http;

import dev.gatehouse.server.config.ServerConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses what a web page open in a browser on this machine could otherwise make the browser send,
 * before anything else looks at the request (the body included):
 *
 * <ul>
 *   <li>a {@code Host} that is not this server's (DNS rebinding: a page of {@code evil.example}
 *       whose name now resolves to 127.0.0.1 is, to the browser, the same origin as the API, so
 *       it could read decisions and call admin routes of a server without tokens). Checked without
 *       tokens, and with tokens once {@code allowedHosts} lists names: a loopback name
 *       ({@code localhost}, {@code 127.x.y.z}, {@code [::1]}) or a listed one, any port.
 *   <li>a write ({@code POST} and every method but {@code GET}, {@code HEAD}, {@code OPTIONS})
 *       whose {@code Origin} is another site's: browsers send {@code Origin} with every such
 *       request, other clients send none. Checked always.
 * </ul>
 *
 * Both are 403 with their own code, {@code host-not-allowed} or {@code origin-not-allowed}.
 */
final class CrossSiteGuard implements PlatformHandler {

  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9a-f.]*:[0-9a-f:.]*]");
  private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final int MAX_QUOTED = 100;

  private final boolean checkHost;
  private final Set<String> allowedHosts;

  /** The guard {@code config} asks for. */
  CrossSiteGuard(ServerConfig config) {
    this.checkHost = config.checksHost();
    this.allowedHosts = Set.copyOf(config.allowedHosts());
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HostAndPort authority = request.authority();
    if (checkHost && (authority == null || !allowed(authority.host()))) {
      String host = authority == null ? "" : authority.host();
      ctx.fail(new ApiException(403, "host-not-allowed", "host " + quote(host)
          + " is not allowed: requests must name localhost, 127.0.0.1, [::1] or a host in allowedHosts"));
      return;
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !READS.contains(request.method()) && !sameOrigin(origin, authority)) {
      ctx.fail(new ApiException(403, "origin-not-allowed", "cross-site request refused: origin " + quote(origin)
          + " is not this server's (" + quote(authority == null ? "" : authority.toString()) + ")"));
      return;
    }
    ctx.next();
  }

  private boolean allowed(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return loopback(name) || allowedHosts.contains(name);
  }

  /** {@code localhost}, {@code 127.x.y.z} or an IPv6 loopback literal such as {@code [::1]}; never a DNS lookup. */
  static boolean loopback(String host) {
    if (host.equals("localhost") || host.equals("127.0.0.1")) {
      // The usual names, without a regular expression per request.
      return true;
    }
    var v4 = IPV4_LOOPBACK.matcher(host);
    if (v4.matches()) {
      for (int group = 1; group <= 3; group++) {
        if (Integer.parseInt(v4.group(group)) > 255) {
          return false;
        }
      }
      return true;
    }
    if (IPV6_LITERAL.matcher(host).matches()) {
      try {
        // A bracketed text with a colon is parsed as an IPv6 address, never looked up.
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  /** Whether {@code origin} ({@code scheme://host[:port]}) names the host and port the request was sent to. */
  private static boolean sameOrigin(String origin, HostAndPort authority) {
    if (authority == null) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false; // "null" (a sandboxed or file page) and garbage alike
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      return false;
    }
    int defaultPort = uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    int originPort = uri.getPort() == -1 ? defaultPort : uri.getPort();
    int hostPort = authority.port() == -1 ? defaultPort : authority.port();
    return uri.getHost().equalsIgnoreCase(authority.host()) && originPort == hostPort;
  }

  private static String quote(String text) {
    return "'" + (text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text) + "'";
  }
}
