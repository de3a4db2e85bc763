package dev.gatehouse.rules.drools.sandbox;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.drools.base.definitions.InternalKnowledgePackage;
import org.drools.core.rule.JavaDialectRuntimeData;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The sandbox's second line: what Drools actually compiled. The Java dialect turns consequences,
 * {@code eval}s and accumulate arguments into classes, kept as bytes per package; every type,
 * method and field those classes reference (read from their instructions with ASM) must be on the
 * allow-list, however the source text managed to say it. A reference the text check missed is
 * therefore refused here, with the rule it came from.
 *
 * <p>Two kinds of class are in a package's store. Rule classes ({@code Rule_…}) hold the author's
 * code as the Java compiler compiled it, and are held to the allow-list plus {@code deny}/{@code
 * warn} and the one factory accumulate arguments use. Invokers are Drools' own glue, which hands a
 * rule's bound values to its rule class: written with ASM (no source file) or compiled from a
 * template into a top-level {@code …Invoker} class of their own, always implementing {@code
 * CompiledInvoker}. They may also use Drools' own types. Rule code cannot make such a class: what
 * it declares is nested in its rule class ({@code Rule_x$1}), with the rule class's source file. Pattern constraints are not in
 * the store: the mvel build interprets them, and {@link ExpressionChecker} has read each one.
 */
final class CompiledClasses {

  /**
   * A reference outside the allow-list.
   *
   * @param rule the rule whose code it is in, if the class could be traced to one
   * @param className the compiled class, as Drools named it
   * @param reference what it references: {@code java.io.File}, {@code java.lang.System.exit}
   */
  record Finding(Optional<Rule> rule, String className, String reference) {}

  private static final String INVOKER = "org/drools/base/rule/accessor/CompiledInvoker";
  private static final String STRING_CONCAT = "java/lang/invoke/StringConcatFactory";
  // Members that rule classes need and the allow-list of rule code does not name, besides deny and warn.
  private static final Set<String> RULE_CLASS_MEMBERS = Set.of(
      "org/drools/mvel/field/FieldFactory.getInstance", "org/drools/mvel/field/FieldFactory.getFieldValue",
      "java/lang/Object.<init>");
  // KnowledgeHelper: a consequence casts its context to it to pass it on to deny and warn.
  private static final Set<String> RULE_CLASS_TYPES = Set.of(
      "org/drools/mvel/field/FieldFactory", "org/drools/base/rule/accessor/FieldValue",
      "org/drools/core/rule/consequence/KnowledgeHelper");
  private static final List<String> DROOLS_PACKAGES = List.of("org/drools/", "org/kie/api/");

  private final ClassLoader loader = CompiledClasses.class.getClassLoader();
  private final Set<String> actionMembers;

  /** A check for rule classes that may call {@code deny} and {@code warn} of {@code actions}. */
  CompiledClasses(Class<?> actions) {
    String owner = Type.getInternalName(actions);
    this.actionMembers = Set.of(owner + ".deny", owner + ".warn");
  }

  /** Every reference outside the allow-list in the classes compiled for {@code base}, sorted by class. */
  List<Finding> check(KieBase base) {
    return check(base.getKiePackages());
  }

  /**
   * Every reference outside the allow-list in the classes stored in {@code packages}, sorted by
   * class. Reads the stored bytes only: nothing is loaded or defined, so packages read back from a
   * cache can be checked before any of their classes exists.
   */
  List<Finding> check(Collection<? extends KiePackage> packages) {
    List<Finding> findings = new ArrayList<>();
    for (KiePackage pkg : packages) {
      if (!(pkg instanceof InternalKnowledgePackage internal)
          || !(internal.getDialectRuntimeRegistry().getDialectData("java") instanceof JavaDialectRuntimeData java)) {
        continue;
      }
      Map<String, byte[]> store = java.getStore();
      store.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
        String className = entry.getKey().replaceFirst("\\.class$", "");
        for (String reference : references(entry.getValue(), store)) {
          findings.add(new Finding(ruleOf(pkg, className), className.replace('/', '.'), reference));
        }
      });
    }
    findings.sort(Comparator.comparing(Finding::className));
    return findings;
  }

  /** The references of one class that its kind may not make, in the order first met. */
  private Set<String> references(byte[] bytes, Map<String, byte[]> store) {
    Set<String> refused = new LinkedHashSet<>();
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
      private boolean invoker;
      private String source;
      private String simpleName;
      private boolean kindKnown;
      private String superName;
      private String[] interfaces;

      @Override
      public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        this.superName = superName;
        this.interfaces = interfaces;
        this.simpleName = name.substring(name.lastIndexOf('/') + 1);
      }

      @Override
      public void visitSource(String source, String debug) {
        this.source = source;
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        if (!kindKnown) {
          // Invariant: ASM visits the source file before any method, so the kind is known here.
          kindKnown = true;
          invoker = List.of(interfaces).contains(INVOKER)
              && (source == null || simpleName.endsWith("Invoker") && source.equals(simpleName + ".java"));
          type(superName);
          if (!invoker) {
            List.of(interfaces).forEach(this::type);
          }
        }
        return new MethodVisitor(Opcodes.ASM9) {
          // The Java compiler checks a value for null with getClass() and pop; any other getClass() is refused.
          private boolean nullCheck;

          private void instruction() {
            if (nullCheck) {
              nullCheck = false;
              refused.add("java.lang.Object.getClass");
            }
          }

          @Override
          public void visitInsn(int opcode) {
            if (nullCheck && opcode == Opcodes.POP) {
              nullCheck = false;
            }
            instruction();
          }

          @Override
          public void visitIntInsn(int opcode, int operand) {
            instruction();
          }

          @Override
          public void visitVarInsn(int opcode, int varIndex) {
            instruction();
          }

          @Override
          public void visitJumpInsn(int opcode, Label label) {
            instruction();
          }

          @Override
          public void visitIincInsn(int varIndex, int increment) {
            instruction();
          }

          @Override
          public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            instruction();
          }

          @Override
          public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            instruction();
          }

          @Override
          public void visitEnd() {
            instruction();
          }

          @Override
          public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            instruction();
            if (!invoker && name.equals("getClass") && descriptor.equals("()Ljava/lang/Class;")) {
              nullCheck = true;
              return;
            }
            member(owner, name, true);
          }

          @Override
          public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            instruction();
            member(owner, name, false);
          }

          @Override
          public void visitTypeInsn(int opcode, String type) {
            instruction();
            type(type);
          }

          @Override
          public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
            instruction();
            type(Type.getType(descriptor).getElementType().getInternalName());
          }

          @Override
          public void visitLdcInsn(Object value) {
            instruction();
            constant(value);
          }

          @Override
          public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            instruction();
            // String concatenation is the only dynamic call rule code compiles to; a lambda is refused.
            if (!bootstrap.getOwner().equals(STRING_CONCAT)) {
              refused.add(dotted(bootstrap.getOwner()) + "." + bootstrap.getName());
            }
          }
        };
      }

      private void constant(Object value) {
        if (value instanceof Type type && type.getSort() == Type.OBJECT) {
          type(type.getInternalName());
        } else if (value instanceof Handle handle) {
          member(handle.getOwner(), handle.getName(), true);
        } else if (value instanceof ConstantDynamic dynamic) {
          refused.add(dynamic.getName());
        }
      }

      private void type(String internalName) {
        if (internalName == null || internalName.startsWith("[")) {
          if (internalName != null) {
            type(Type.getType(internalName).getElementType().getInternalName());
          }
          return;
        }
        if (!allowedType(internalName)) {
          refused.add(dotted(internalName));
        }
      }

      private void member(String owner, String name, boolean method) {
        if (owner.startsWith("[")) {
          type(owner);
          return;
        }
        if (!allowedMember(owner, name, method)) {
          refused.add(dotted(owner) + "." + name);
        }
      }

      private boolean allowedType(String internalName) {
        if (store.containsKey(internalName + ".class") || RULE_CLASS_TYPES.contains(internalName)
            || invoker && fromDrools(internalName)) {
          return true;
        }
        return load(internalName).map(AllowList::allows).orElse(false);
      }

      private boolean allowedMember(String owner, String name, boolean method) {
        if (store.containsKey(owner + ".class") || RULE_CLASS_MEMBERS.contains(owner + "." + name)
            || actionMembers.contains(owner + "." + name)
            || invoker && (fromDrools(owner) || owner.equals("java/lang/Object"))) {
          return true;
        }
        Optional<Class<?>> type = load(owner);
        if (type.isEmpty() || !AllowList.allows(type.get())) {
          return false;
        }
        if (!method) {
          try {
            return AllowList.allows(type.get().getField(name));
          } catch (NoSuchFieldException e) {
            return false;
          }
        }
        for (Method candidate : type.get().getMethods()) {
          if (candidate.getName().equals(name) && AllowList.allows(candidate)) {
            return true;
          }
        }
        return false;
      }
    }, ClassReader.SKIP_FRAMES);
    return refused;
  }

  private static boolean fromDrools(String internalName) {
    return DROOLS_PACKAGES.stream().anyMatch(internalName::startsWith);
  }

  private Optional<Class<?>> load(String internalName) {
    try {
      return Optional.of(Class.forName(dotted(internalName), false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
  }

  private static String dotted(String internalName) {
    return internalName.replace('/', '.');
  }

  /**
   * The rule a class was compiled from. Drools names it {@code Rule_} + the rule's name made a Java
   * name + a number, with invokers adding a suffix; the longest rule name that fits wins.
   */
  private static Optional<Rule> ruleOf(KiePackage pkg, String className) {
    String simple = className.substring(className.lastIndexOf('/') + 1);
    return pkg.getRules().stream()
        .filter(rule -> simple.startsWith("Rule_" + javaName(rule.getName())))
        .max(Comparator.comparingInt(rule -> rule.getName().length()))
        .map(Rule.class::cast);
  }

  private static String javaName(String ruleName) {
    StringBuilder name = new StringBuilder();
    for (char c : ruleName.toCharArray()) {
      if (c == ' ') {
        name.append('_');
      } else if (Character.isJavaIdentifierPart(c)) {
        name.append(c);
      } else {
        name.append("$u").append((int) c).append('$');
      }
    }
    return name.toString();
  }
}
