package dev.gatehouse.server.http;

import dev.gatehouse.model.FactKind;
import dev.gatehouse.rules.workspace.Caller;
import dev.gatehouse.server.config.Role;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who made a request: the name of the token it carried and that token's roles. Handlers read it
 * with {@link #of(RoutingContext)} (the decision log records it).
 *
 * @param name the token's name, or {@code anonymous} when authentication is off
 * @param roles what the caller may do
 * @param supplies the fact kinds the caller's requests may carry while a workspace is in use
 */
public record Principal(String name, Set<Role> roles, Set<FactKind> supplies) {

  /**
   * The caller when no tokens are configured: loopback only, allowed every route but granted no
   * facts, since nothing vouches for who it is.
   */
  public static final Principal ANONYMOUS = new Principal("anonymous", EnumSet.allOf(Role.class), Set.of());

  private static final String KEY = "gatehouse.principal";

  public Principal {
    roles = Set.copyOf(roles);
    supplies = Set.copyOf(supplies);
  }

  /** The caller as the decision path knows it. */
  public Caller caller() {
    return new Caller(name, supplies);
  }

  /** The principal the authentication step attached to {@code ctx}. */
  public static Principal of(RoutingContext ctx) {
    Principal principal = ctx.get(KEY);
    if (principal == null) {
      throw new IllegalStateException("route has no authentication step");
    }
    return principal;
  }

  void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** Whether the caller holds {@code role}. */
  public boolean has(Role role) {
    return roles.contains(role);
  }
}
