package dev.gatehouse.rules.drools;

import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.RuleInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of the compile cache: what compiling a revision produced, and what it was produced
 * from and by, as bytes.
 *
 * <p>Layout: a magic line and format number; the key (revision, Gatehouse build, Drools version,
 * JVM); the sandbox's verdict on the sources of that revision and the digest of the compiled class
 * bytes it read; the compile's warnings; every rule's metadata and the types of the names it binds; each gate's compiled packages as
 * Drools serializes them; last, SHA-256 over all the bytes before it. Strings are length-prefixed
 * UTF-8, so nothing in a rule's text can end a field early.
 *
 * @param key what the entry was compiled from and by
 * @param verdict the sandbox's verdict on the sources the revision names; only {@link #PASSED} is ever written
 * @param classesDigest {@link PackageStreams#classesDigest} of every gate's packages
 * @param issues the compile's warnings, as a fresh compile reports them
 * @param rules every rule, in the set's order, with the Drools package it is in
 * @param gates each gate's packages (its rules and the ungated ones), serialized
 */
record CachedSet(Key key, String verdict, String classesDigest, List<CompileIssue> issues, List<StoredRule> rules,
    Map<String, byte[]> gates) {

  /** The verdict a set that passed every source check of the sandbox is stored with. */
  static final String PASSED = "sandbox-passed";

  private static final byte[] MAGIC = "gatehouse compiled policy set\n".getBytes(StandardCharsets.US_ASCII);
  // Bumped whenever the layout, or what a field means, changes.
  static final int FORMAT = 2;
  private static final int DIGEST_BYTES = 32;
  private static final int MAX_COUNT = 1_000_000;

  CachedSet {
    issues = List.copyOf(issues);
    rules = List.copyOf(rules);
    gates = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(gates));
  }

  /**
   * What an entry is compiled from and by: the same revision compiled by another build of
   * Gatehouse or Drools, or on another JVM, is a different entry.
   *
   * @param revision the policy revision ({@code sha256:} over the rule files)
   * @param gatehouse Gatehouse's version and build time
   * @param drools the Drools version
   * @param jvm the JVM's version
   */
  record Key(String revision, String gatehouse, String drools, String jvm) {}

  /** A rule of the set and the Drools package that holds it, by which a base's rule is found again. */
  record StoredRule(String pkg, RuleInfo info) {

    String id() {
      return pkg + "\u0000" + info.name();
    }
  }

  /** Thrown for bytes that are not a whole, intact entry. */
  static final class Damaged extends IOException {
    Damaged(String message) {
      super(message);
    }
  }

  /** The entry as bytes, its digest last. */
  byte[] encode() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(MAGIC);
    out.writeInt(FORMAT);
    writeString(out, key.revision());
    writeString(out, key.gatehouse());
    writeString(out, key.drools());
    writeString(out, key.jvm());
    writeString(out, verdict);
    writeString(out, classesDigest);
    out.writeInt(issues.size());
    for (CompileIssue issue : issues) {
      writeString(out, issue.file());
      out.writeInt(issue.line());
      out.writeInt(issue.column());
      writeString(out, issue.severity().name());
      writeString(out, issue.message());
    }
    out.writeInt(rules.size());
    for (StoredRule rule : rules) {
      RuleInfo info = rule.info();
      writeString(out, rule.pkg());
      writeString(out, info.name());
      writeString(out, info.file());
      out.writeInt(info.line());
      out.writeInt(info.gates().size());
      for (String gate : info.gates()) {
        writeString(out, gate);
      }
      writeString(out, info.code());
      writeString(out, info.description());
      out.writeInt(info.metadata().size());
      for (Map.Entry<String, String> entry : new java.util.TreeMap<>(info.metadata()).entrySet()) {
        writeString(out, entry.getKey());
        writeString(out, entry.getValue());
      }
      writeString(out, info.source());
      out.writeInt(info.bound().size());
      for (Map.Entry<String, Class<?>> name : new java.util.TreeMap<>(info.bound()).entrySet()) {
        writeString(out, name.getKey());
        writeString(out, name.getValue().getName());
      }
    }
    out.writeInt(gates.size());
    for (Map.Entry<String, byte[]> gate : gates.entrySet()) {
      writeString(out, gate.getKey());
      out.writeInt(gate.getValue().length);
      out.write(gate.getValue());
    }
    out.flush();
    byte[] body = bytes.toByteArray();
    out.write(PackageStreams.sha256().digest(body));
    out.flush();
    return bytes.toByteArray();
  }

  /**
   * The entry {@code bytes} hold.
   *
   * @throws Damaged when the digest does not match the bytes, or they are not an entry of this format
   */
  static CachedSet decode(byte[] bytes) throws Damaged {
    if (bytes.length < MAGIC.length + DIGEST_BYTES) {
      throw new Damaged("too short to be an entry");
    }
    int bodyLength = bytes.length - DIGEST_BYTES;
    byte[] digest = PackageStreams.sha256().digest(Arrays.copyOf(bytes, bodyLength));
    if (!MessageDigest.isEqual(digest, Arrays.copyOfRange(bytes, bodyLength, bytes.length))) {
      throw new Damaged("its digest does not match its bytes");
    }
    if (!Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new Damaged("not a compiled policy set");
    }
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length, bodyLength - MAGIC.length));
      int format = in.readInt();
      if (format != FORMAT) {
        throw new Damaged("format " + format + ", not " + FORMAT);
      }
      Key key = new Key(readString(in), readString(in), readString(in), readString(in));
      String verdict = readString(in);
      String classesDigest = readString(in);
      int issueCount = count(in);
      List<CompileIssue> issues = new ArrayList<>(issueCount);
      for (int i = 0; i < issueCount; i++) {
        String file = readString(in);
        int line = in.readInt();
        int column = in.readInt();
        CompileIssue.Severity severity = CompileIssue.Severity.valueOf(readString(in));
        issues.add(new CompileIssue(file, line, column, severity, readString(in)));
      }
      int ruleCount = count(in);
      List<StoredRule> rules = new ArrayList<>(ruleCount);
      for (int i = 0; i < ruleCount; i++) {
        String pkg = readString(in);
        String name = readString(in);
        String file = readString(in);
        int line = in.readInt();
        int gateCount = count(in);
        List<String> ruleGates = new ArrayList<>(gateCount);
        for (int g = 0; g < gateCount; g++) {
          ruleGates.add(readString(in));
        }
        String code = readString(in);
        String description = readString(in);
        int metaCount = count(in);
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int m = 0; m < metaCount; m++) {
          metadata.put(readString(in), readString(in));
        }
        String source = readString(in);
        int boundCount = count(in);
        Map<String, Class<?>> bound = new LinkedHashMap<>();
        for (int b = 0; b < boundCount; b++) {
          // Types of facts and plain values only, loaded without initialising anything.
          bound.put(readString(in), Class.forName(readString(in), false, RuleInfo.class.getClassLoader()));
        }
        rules.add(new StoredRule(pkg, new RuleInfo(name, file, line, ruleGates, code, description, metadata, source, bound)));
      }
      int gateCount = count(in);
      Map<String, byte[]> gates = new LinkedHashMap<>();
      for (int g = 0; g < gateCount; g++) {
        String gate = readString(in);
        gates.put(gate, in.readNBytes(length(in)));
      }
      if (in.available() != 0) {
        throw new Damaged("bytes after the last gate");
      }
      return new CachedSet(key, verdict, classesDigest, issues, rules, gates);
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      throw e instanceof Damaged damaged ? damaged : new Damaged("unreadable: " + e.getMessage());
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length == -1) {
      return null;
    }
    if (length < 0 || length > in.available()) {
      throw new Damaged("a field's length is out of range");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static int count(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_COUNT) {
      throw new Damaged("a count is out of range");
    }
    return count;
  }

  private static int length(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new Damaged("a gate's length is out of range");
    }
    return length;
  }
}
