package dev.gatehouse.rules.drools;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.drools.base.common.DroolsObjectInputStream;
import org.drools.base.common.DroolsObjectOutputStream;
import org.drools.base.definitions.InternalKnowledgePackage;
import org.drools.core.rule.JavaDialectRuntimeData;
import org.kie.api.definition.KiePackage;

/**
 * Compiled Drools packages as bytes and back, with Drools' own serialization of its packages (rules,
 * their constraints and the class bytes compiled from rule code), for the compile cache. Internal
 * Drools API is kept in this one place.
 *
 * <p>Reading is filtered: only the classes a compiled package is made of may appear in the stream
 * (Drools', MVEL's, the fact model's and a few of {@code java.lang} and {@code java.util}), within
 * bounds on depth, references and array sizes, so a damaged or planted entry cannot make the stream
 * build objects of any other class.
 */
final class PackageStreams {

  // What compiled packages are made of: Drools', MVEL's, the fact model's and the rule functions'
  // classes, values of java.util and java.time, and a few of java.lang; everything else is refused
  // before it is instantiated (no reflection, proxies, lambdas or class loaders).
  private static final List<String> ALLOWED_PREFIXES = List.of(
      "org.drools.", "org.kie.api.", "org.mvel2.", "dev.gatehouse.model.", "dev.gatehouse.rules.functions.",
      "java.util.", "java.time.");
  private static final Set<String> ALLOWED_CLASSES = Set.of(
      "java.lang.Object", "java.lang.String", "java.lang.Enum", "java.lang.Number", "java.lang.Boolean",
      "java.lang.Character", "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long",
      "java.lang.Float", "java.lang.Double", "java.lang.Math");
  private static final long MAX_DEPTH = 200;
  private static final long MAX_REFERENCES = 2_000_000;
  private static final long MAX_ARRAY_LENGTH = 16 * 1024 * 1024;

  private PackageStreams() {}

  /** {@code packages} as Drools serializes them. */
  static byte[] write(Collection<? extends KiePackage> packages) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DroolsObjectOutputStream out = new DroolsObjectOutputStream(bytes)) {
      out.writeObject(new ArrayList<>(packages));
    }
    return bytes.toByteArray();
  }

  /**
   * The packages {@code bytes} hold, resolving classes with {@code loader}; nothing of them is
   * defined or run yet (Drools defines the compiled classes when a base adds the packages).
   *
   * @throws IOException when the bytes are not a list of packages, or hold a class or size the filter refuses
   */
  static List<InternalKnowledgePackage> read(byte[] bytes, ClassLoader loader) throws IOException {
    try (DroolsObjectInputStream in = new DroolsObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
      in.setObjectInputFilter(PackageStreams::filter);
      Object read = in.readObject();
      if (!(read instanceof List<?> list)) {
        throw new IOException("not a list of compiled packages");
      }
      List<InternalKnowledgePackage> packages = new ArrayList<>(list.size());
      for (Object item : list) {
        if (!(item instanceof InternalKnowledgePackage pkg)) {
          throw new IOException("not a compiled package: " + (item == null ? "null" : item.getClass().getName()));
        }
        packages.add(pkg);
      }
      return packages;
    } catch (ClassNotFoundException e) {
      throw new InvalidClassException(e.getMessage());
    }
  }

  private static ObjectInputFilter.Status filter(ObjectInputFilter.FilterInfo info) {
    if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.arrayLength() > MAX_ARRAY_LENGTH) {
      return ObjectInputFilter.Status.REJECTED;
    }
    Class<?> type = info.serialClass();
    if (type == null) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    while (type.isArray()) {
      type = type.getComponentType();
    }
    if (type.isPrimitive()) {
      return ObjectInputFilter.Status.ALLOWED;
    }
    String name = type.getName();
    return ALLOWED_CLASSES.contains(name) || ALLOWED_PREFIXES.stream().anyMatch(name::startsWith)
        ? ObjectInputFilter.Status.ALLOWED
        : ObjectInputFilter.Status.REJECTED;
  }

  /**
   * {@code sha256:} over the class bytes that rule code compiled to (each package's Java store, by
   * package, then class name): what {@link dev.gatehouse.rules.drools.sandbox.RuleSandbox#checkCompiled}
   * reads.
   */
  static String classesDigest(Collection<? extends KiePackage> packages) {
    Map<String, byte[]> classes = new TreeMap<>();
    for (KiePackage pkg : packages) {
      if (pkg instanceof InternalKnowledgePackage internal
          && internal.getDialectRuntimeRegistry().getDialectData("java") instanceof JavaDialectRuntimeData java) {
        java.getStore().forEach((name, bytes) -> classes.put(pkg.getName() + "\u0000" + name, bytes));
      }
    }
    MessageDigest digest = sha256();
    classes.forEach((name, bytes) -> {
      digest.update(name.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
      digest.update((byte) 0);
      digest.update(bytes);
    });
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
