package dev.gatehouse.server.http;

import dev.gatehouse.server.config.ApiToken;
import dev.gatehouse.server.config.Role;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.handler.PlatformHandler;
import java.security.MessageDigest;
import java.util.List;

/**
 * Bearer-token authentication and role checks. A missing or unknown token is 401, a known token
 * without the route's role is 403. With no tokens configured everyone is {@link Principal#ANONYMOUS}
 * (the configuration only allows that on a loopback address).
 */
public final class BearerAuth {

  private static final String SCHEME = "bearer ";

  private final List<byte[]> digests;
  private final List<Principal> principals;

  /** Authentication against {@code tokens}; none turns it off. */
  public BearerAuth(List<ApiToken> tokens) {
    this.digests = tokens.stream().map(ApiToken::digest).toList();
    this.principals = tokens.stream().map(t -> new Principal(t.name(), t.roles(), t.supplies())).toList();
  }

  /**
   * A route step that lets the request through only for a caller holding {@code role}. It is a
   * {@link PlatformHandler} so that Vert.x runs it before the body is read: an unknown caller must
   * not get to stream a megabyte first.
   */
  public PlatformHandler require(Role role) {
    return ctx -> {
      Principal principal;
      try {
        principal = authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
      } catch (ApiException e) {
        ctx.fail(e);
        return;
      }
      if (!principal.has(role)) {
        ctx.fail(new ApiException(403, "forbidden", "token '" + principal.name() + "' lacks role '" + role.label() + "'"));
        return;
      }
      principal.attachTo(ctx);
      ctx.next();
    };
  }

  private Principal authenticate(String header) {
    if (principals.isEmpty()) {
      return Principal.ANONYMOUS;
    }
    if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw unauthenticated("missing bearer token: send Authorization: Bearer <token>");
    }
    byte[] presented = ApiToken.sha256(header.substring(SCHEME.length()).strip());
    // Invariant: every token is compared, in constant time each, so timing reveals neither
    // the secret nor which token (if any) matched.
    int match = -1;
    for (int i = 0; i < digests.size(); i++) {
      if (MessageDigest.isEqual(presented, digests.get(i))) {
        match = i;
      }
    }
    if (match < 0) {
      throw unauthenticated("unknown bearer token");
    }
    return principals.get(match);
  }

  private static ApiException unauthenticated(String message) {
    return new ApiException(401, "unauthenticated", message);
  }
}
