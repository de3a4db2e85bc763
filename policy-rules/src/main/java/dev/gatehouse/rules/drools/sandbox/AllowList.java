package dev.gatehouse.rules.drools.sandbox;

import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;

/**
 * What rule code may touch: the fact model ({@code dev.gatehouse.model}), Gatehouse's rule functions
 * ({@code dev.gatehouse.rules.functions}), and plain values — strings, numbers, boxed primitives
 * (not BigDecimal or BigInteger: one argument sets their size, so one constraint could fill memory),
 * the read-side of {@code java.util} collections and {@code java.time} values. Everything else is
 * refused, so a new JDK class is closed until someone adds it here on purpose.
 */
final class AllowList {

  /** The explanation every refusal ends with. */
  static final String WHY = "rules may use the fact model, Gatehouse's rule functions and plain values";

  private static final Set<String> PACKAGES = Set.of("dev.gatehouse.model", "dev.gatehouse.rules.functions");

  // Wildcard imports only make names resolvable; each name used is still checked by class.
  static final Set<String> WILDCARD_IMPORTS = Set.of(
      "dev.gatehouse.model", "dev.gatehouse.rules.functions", "java.lang", "java.util", "java.time");

  private static final Set<Class<?>> TYPES = Set.of(
      Object.class, String.class, CharSequence.class, Comparable.class,
      Boolean.class, Character.class, Number.class, Byte.class, Short.class, Integer.class, Long.class,
      Float.class, Double.class, Math.class,
      java.util.Collection.class, java.util.List.class, java.util.Set.class, java.util.Map.class,
      java.util.Map.Entry.class, java.util.SortedSet.class, java.util.SortedMap.class,
      java.util.NavigableSet.class, java.util.NavigableMap.class, java.util.Iterator.class,
      java.util.Collections.class, java.util.Objects.class, java.util.Optional.class, java.util.Arrays.class,
      java.time.Instant.class, java.time.Duration.class, java.time.Period.class, java.time.LocalDate.class,
      java.time.LocalDateTime.class, java.time.LocalTime.class, java.time.OffsetDateTime.class,
      java.time.ZonedDateTime.class, java.time.ZoneOffset.class, java.time.DayOfWeek.class, java.time.Month.class,
      java.time.temporal.ChronoUnit.class, java.time.temporal.ChronoField.class,
      java.time.temporal.Temporal.class, java.time.temporal.TemporalAmount.class,
      java.time.temporal.TemporalUnit.class, java.time.temporal.TemporalField.class);

  // Methods of allowed classes that still reach outside the request: the system properties
  // (Integer.getInteger, Long.getLong, Boolean.getBoolean), the clock (now), chance (Math.random,
  // Collections.shuffle), and Object's thread and reflection methods. Rules read the request's
  // "at", never the clock, and decide the same way every time, so replay stays honest.
  // Then methods whose time or memory a rule could make unbounded with one number or pattern:
  // regular expressions (backtracking), and sizes given as arguments (repeat, nCopies, pow,
  // copyOf, a format width, indent, a scale), and Arrays' parallel methods, which use other threads.
  private static final Set<String> METHODS = Set.of(
      "getClass", "wait", "notify", "notifyAll", "finalize", "getInteger", "getLong", "getBoolean", "now",
      "random", "shuffle",
      "matches", "replaceAll", "replaceFirst", "split", "splitWithDelimiters", "repeat", "nCopies", "pow",
      "shiftLeft", "copyOf", "copyOfRange", "format", "formatted", "indent", "setScale", "movePointLeft",
      "movePointRight", "scaleByPowerOfTen", "parallelSort", "parallelSetAll", "parallelPrefix", "setAll");

  private static final Set<String> OBJECT_METHODS = Set.of("equals", "hashCode", "toString");

  private AllowList() {}

  /** Whether rule code may hold a value of, or name, {@code type}. */
  static boolean allows(Class<?> type) {
    if (type.isPrimitive()) {
      return true;
    }
    if (type.isArray()) {
      return allows(type.getComponentType());
    }
    return TYPES.contains(type) || PACKAGES.contains(type.getPackageName()) && !type.isAnonymousClass();
  }

  // Pattern types: facts, and the plain values a pattern takes "from" a fact's lists. Not Object,
  // Map or other interfaces, whose members MVEL resolves at run time to whatever the value is.
  private static final Set<Class<?>> PATTERN_VALUES = Set.of(
      String.class, Number.class, Boolean.class, Character.class, Integer.class, Long.class, Double.class,
      java.time.Instant.class);

  /** Whether a pattern may match values of {@code type}. */
  static boolean allowsPattern(Class<?> type) {
    return PATTERN_VALUES.contains(type) || PACKAGES.contains(type.getPackageName()) && !type.isInterface()
        && !type.isAnonymousClass();
  }

  /** Whether rule code may call {@code method} or read {@code field}: its class is allowed and it is not one of the exceptions. */
  static boolean allows(Member member) {
    Class<?> owner = member.getDeclaringClass();
    if (member instanceof Method && owner == Object.class) {
      return OBJECT_METHODS.contains(member.getName());
    }
    // The exceptions name JDK methods; Gatehouse's own (Globs.matches) are written for rules.
    if (!Modifier.isPublic(member.getModifiers())
        || METHODS.contains(member.getName()) && !PACKAGES.contains(owner.getPackageName())) {
      return false;
    }
    return allows(owner);
  }
}
