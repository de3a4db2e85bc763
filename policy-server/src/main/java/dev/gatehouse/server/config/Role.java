package dev.gatehouse.server.config;

import java.util.Locale;

/**
 * What a bearer token may do. Roles are independent: a token gets exactly the roles it lists, so an
 * {@code admin} token that should also decide lists both.
 */
public enum Role {
  /** Ask for decisions. */
  DECIDE,
  /** Read the active policies (and, later, the decision log). */
  READ,
  /** Check candidate policy sets (and, later, reload and replay). */
  ADMIN;

  /** The lower-case name used in config files and error messages. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code label}, as written in a config file or {@code GATEHOUSE_TOKENS}. */
  public static Role parse(String label) throws ConfigException {
    for (Role role : values()) {
      if (role.label().equals(label)) {
        return role;
      }
    }
    throw new ConfigException("unknown role '" + label + "'; expected decide, read or admin");
  }
}
