package dev.gatehouse.server.config;

import dev.gatehouse.model.FactKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Set;

/**
 * A bearer token the server accepts: its name (the principal handlers see), the SHA-256 digest of
 * its secret, its roles and the fact kinds it may supply. Only the digest is kept, so the secret never sits in a heap dump twice
 * and tokens compare in constant time regardless of their length.
 *
 * @param name who holds the token, e.g. {@code ci}; recorded with what it does
 * @param digest SHA-256 of the secret
 * @param roles what the token may do
 * @param supplies the fact kinds a request with this token may carry while a workspace is in use
 */
public record ApiToken(String name, byte[] digest, Set<Role> roles, Set<FactKind> supplies) {

  /** Shorter secrets are refused: they can be guessed. */
  public static final int MIN_SECRET_LENGTH = 16;

  public ApiToken {
    digest = digest.clone();
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    supplies = supplies == null || supplies.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(supplies));
  }

  /** A token named {@code name} with secret {@code secret}, checked for a usable name, secret and roles. */
  public static ApiToken of(String name, String secret, Set<Role> roles, Set<FactKind> supplies) throws ConfigException {
    if (name == null || name.isBlank()) {
      throw new ConfigException("a token has no name");
    }
    if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
      throw new ConfigException("token '" + name + "' is shorter than " + MIN_SECRET_LENGTH + " characters");
    }
    if (roles.isEmpty()) {
      throw new ConfigException("token '" + name + "' has no roles; expected some of decide, read, admin");
    }
    if (supplies.contains(FactKind.DOUBTS)) {
      throw new ConfigException("token '" + name + "' supplies doubts: doubts are found by Gatehouse, never supplied");
    }
    return new ApiToken(name, sha256(secret), roles, supplies);
  }

  /** The digest a presented secret is compared by. */
  public static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public String toString() {
    return "ApiToken[" + name + ", roles=" + roles + ", supplies=" + supplies + "]";
  }
}
