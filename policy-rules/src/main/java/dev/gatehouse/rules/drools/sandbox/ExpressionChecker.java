package dev.gatehouse.rules.drools.sandbox;

import dev.gatehouse.rules.drools.sandbox.Token.Kind;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses one piece of rule code — a pattern constraint, a {@code from} source, an {@code eval}, an
 * accumulate argument, a consequence — and follows every name to the class, method or field it
 * means, typing each step from the fact model by reflection. Anything the grammar does not know is
 * refused rather than skipped, so new syntax is closed until it is added here.
 *
 * <p>The grammar is the part of Java and MVEL that rule conditions use: literals, names, field and
 * method chains, calls of imported functions, arithmetic, comparison, {@code &&}, {@code ||},
 * {@code !}, {@code ?:}, and the DRL operators {@code in}, {@code memberOf}, {@code contains},
 * {@code matches}, {@code excludes}, {@code soundslike} (each also with {@code not}). Not in it, so
 * refused: {@code new}, assignments, lambdas, casts, class literals, MVEL blocks ({@code with},
 * {@code foreach}, {@code def}), OOPath.
 */
final class ExpressionChecker {

  private static final Set<String> RELATIONAL = Set.of("==", "!=", "<", ">", "<=", ">=");
  private static final Set<String> DRL_OPERATORS = Set.of("memberOf", "contains", "matches", "excludes", "soundslike");
  private static final Set<String> RULE_ACTIONS = Set.of("deny", "warn");
  private static final Map<Class<?>, Class<?>> BOXES = Map.of(
      int.class, Integer.class, long.class, Long.class, double.class, Double.class, boolean.class, Boolean.class,
      char.class, Character.class, float.class, Float.class, short.class, Short.class, byte.class, Byte.class);

  /** A value's static type, or a class named in the code (whose static members may follow). */
  private record Value(Class<?> type, boolean isClass) {
    static Value of(Class<?> type) {
      return new Value(type, false);
    }
  }

  private final List<Token> tokens;
  private final Scope scope;
  private final Class<?> thisType;
  private final Class<?> actions;
  private int next;
  // How deep inside parentheses, call arguments or an index the parser is.
  private int depth;
  // Drools rewrites "x in (a, b)" into comparisons only when it is part of a whole pattern
  // constraint, outside any parentheses. Anywhere else MVEL reads "x in (c)" as a projection: x is
  // evaluated against each element of c, which reaches names the checker typed against the fact
  // (System, Thread...). So "in" is allowed only where Drools rewrites it.
  private boolean inAllowed;

  /**
   * @param code the rule code
   * @param scope the names it can see
   * @param thisType the fact type of the pattern a constraint belongs to, or null outside a pattern
   * @param actions the class of the deny/warn functions, which consequences may call
   */
  ExpressionChecker(String code, Scope scope, Class<?> thisType, Class<?> actions) {
    this.tokens = Token.lex(code);
    this.scope = scope;
    this.thisType = thisType;
    this.actions = actions;
  }

  /** Checks a pattern constraint, binding {@code $name : expression} in the scope; returns its type. */
  Class<?> constraint() {
    String bound = null;
    if (peek().kind() == Kind.NAME && (peek(1).is(":") || peek(1).is(":="))) {
      bound = take().text();
      take();
    }
    inAllowed = bound == null;
    Class<?> type = expression();
    expectEnd();
    if (bound != null) {
      scope.bind(bound, type);
    }
    return type;
  }

  /** Checks a whole expression (a {@code from} source, an {@code eval}, an argument); returns its type. */
  Class<?> wholeExpression() {
    Class<?> type = expression();
    expectEnd();
    return type;
  }

  /**
   * Checks a consequence. Since policies only decide, a consequence may only call the imported
   * {@code deny}/{@code warn} functions with {@code kcontext} and a message: no {@code insert},
   * {@code update}, {@code modify}, {@code retract}, local variables or other statements.
   */
  void consequence() {
    while (peek().kind() != Kind.END) {
      if (peek().is(";")) {
        take();
        continue;
      }
      Token call = peek();
      Optional<Class<?>> owner = call.kind() == Kind.NAME ? scope.function(call.text()) : Optional.empty();
      if (!RULE_ACTIONS.contains(call.text()) || owner.isEmpty() || owner.get() != actions || !peek(1).is("(")) {
        // Name what the statement reaches for (java.lang.System...) where the allow-list says more.
        expression();
        throw new Refusal(call, "'" + call.text() + "' is not allowed in a consequence: a consequence may only call deny or warn");
      }
      take();
      expect("(");
      Token context = take();
      if (!context.is("kcontext")) {
        throw new Refusal(context, "'" + context.text() + "' is not allowed here: deny and warn take kcontext and a message");
      }
      expect(",");
      Class<?> message = expression();
      if (message != String.class) {
        throw new Refusal(context, "the message of " + call.text() + " must be text");
      }
      expect(")");
      expect(";");
    }
  }

  private Class<?> expression() {
    Class<?> condition = or();
    if (peek().is("?")) {
      take();
      Class<?> then = expression();
      expect(":");
      Class<?> otherwise = expression();
      return then == otherwise ? then : Object.class;
    }
    return condition;
  }

  private Class<?> or() {
    return logical("||", this::and);
  }

  private Class<?> and() {
    return logical("&&", this::relational);
  }

  private Class<?> logical(String operator, java.util.function.Supplier<Class<?>> operand) {
    Class<?> left = operand.get();
    while (peek().is(operator)) {
      take();
      operand.get();
      left = boolean.class;
    }
    return left;
  }

  private Class<?> relational() {
    if (RELATIONAL.contains(peek().text()) && peek().kind() == Kind.SYMBOL) {
      // A DRL half constraint: "age > 18 && < 65" compares the same left side again.
      take();
      additive();
      return boolean.class;
    }
    Class<?> left = additive();
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.SYMBOL && RELATIONAL.contains(t.text())) {
        take();
        additive();
      } else if (t.is("not") && (peek(1).is("in") || DRL_OPERATORS.contains(peek(1).text()))) {
        take();
        continue;
      } else if (t.is("in")) {
        if (!inAllowed || depth > 0) {
          throw new Refusal(t, "'in' is only allowed in a whole pattern constraint, outside parentheses and bindings:"
              + " elsewhere MVEL reads it as a projection");
        }
        take();
        expect("(");
        arguments();
      } else if (t.is("matches")) {
        throw new Refusal(t, "'matches' is not allowed in rules: a regular expression can take exponential time;"
            + " compare paths with Globs.matches");
      } else if (t.kind() == Kind.NAME && DRL_OPERATORS.contains(t.text())) {
        take();
        additive();
      } else if (t.is("instanceof")) {
        take();
        Value type = name();
        if (!type.isClass()) {
          throw new Refusal(t, "'instanceof' needs a type");
        }
      } else {
        return left;
      }
      left = boolean.class;
    }
  }

  private Class<?> additive() {
    Class<?> left = multiplicative();
    while (peek().is("+") || peek().is("-")) {
      boolean plus = take().is("+");
      Class<?> right = multiplicative();
      left = plus && (left == String.class || right == String.class) ? String.class : double.class;
    }
    return left;
  }

  private Class<?> multiplicative() {
    Class<?> left = unary();
    while (peek().is("*") || peek().is("/") || peek().is("%")) {
      take();
      unary();
      left = double.class;
    }
    return left;
  }

  private Class<?> unary() {
    if (peek().is("!")) {
      take();
      unary();
      return boolean.class;
    }
    if (peek().is("-") || peek().is("+")) {
      take();
      return unary();
    }
    Value value = postfix(primary());
    if (value.isClass()) {
      throw new Refusal(peek(), "'" + value.type().getName() + "' is a type, not a value");
    }
    return value.type();
  }

  private Value primary() {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER -> {
        take();
        return Value.of(double.class);
      }
      case STRING -> {
        take();
        return Value.of(String.class);
      }
      case NAME -> {
        return name();
      }
      case SYMBOL -> {
        if (t.is("(")) {
          take();
          depth++;
          Class<?> inner = expression();
          depth--;
          expect(")");
          return Value.of(inner);
        }
        throw unsupported(t);
      }
      default -> throw unsupported(t);
    }
  }

  /** A name: a literal word, a bound name, a field of the pattern's fact, a function, or a (qualified) class. */
  private Value name() {
    Token t = take();
    if (t.kind() != Kind.NAME) {
      throw unsupported(t);
    }
    switch (t.text()) {
      case "true", "false" -> {
        return Value.of(boolean.class);
      }
      case "null" -> {
        return Value.of(Object.class);
      }
      case "this" -> {
        if (thisType == null) {
          throw new Refusal(t, "'this' is only allowed inside a pattern");
        }
        return Value.of(thisType);
      }
      case "new" -> throw new Refusal(t, "'new' is not allowed in rules: " + AllowList.WHY);
      case "kcontext", "drools" -> throw Refusal.notAllowed(t, t.text());
      default -> { }
    }
    if (peek().is("(")) {
      return Value.of(function(t));
    }
    Optional<Class<?>> bound = scope.binding(t.text());
    if (bound.isPresent()) {
      return Value.of(bound.get());
    }
    if (thisType != null) {
      Optional<Class<?>> field = property(thisType, t.text(), t);
      if (field.isPresent()) {
        return Value.of(field.get());
      }
    }
    // A class, possibly qualified: take ".part" while the name so far is no class (java.util.List).
    String qualified = t.text();
    Optional<Class<?>> type = scope.type(qualified);
    while (type.isEmpty() && peek().is(".") && peek(1).kind() == Kind.NAME) {
      take();
      qualified += "." + take().text();
      type = scope.type(qualified);
    }
    if (type.isEmpty()) {
      throw new Refusal(t, "unknown name '" + qualified + "'"
          + (thisType == null ? "" : ": no field of " + thisType.getSimpleName() + ", bound name or allowed type"));
    }
    requireType(type.get(), t);
    return new Value(type.get(), true);
  }

  /** A call by bare name: an imported function, else (in a pattern) a method of the fact. */
  private Class<?> function(Token name) {
    Optional<Class<?>> owner = scope.function(name.text());
    if (owner.isEmpty() && thisType != null) {
      return call(thisType.isPrimitive() ? BOXES.get(thisType) : thisType, name, false);
    }
    if (owner.isEmpty()) {
      throw Refusal.notAllowed(name, name.text());
    }
    if (owner.get() == actions) {
      throw new Refusal(name, "'" + name.text() + "' is only allowed in a consequence");
    }
    return call(owner.get(), name, true);
  }

  private Value postfix(Value value) {
    Value current = value;
    while (peek().is(".") || peek().is("!.") || peek().is("[")) {
      Token step = take();
      if (step.is("[")) {
        Class<?> type = current.type();
        depth++;
        expression();
        depth--;
        expect("]");
        current = Value.of(type.isArray() ? type.getComponentType() : Object.class);
        continue;
      }
      Token member = take();
      if (member.kind() != Kind.NAME) {
        throw unsupported(member);
      }
      if (member.is("class")) {
        throw Refusal.notAllowed(member, current.type().getName() + ".class");
      }
      Class<?> type = current.type().isPrimitive() ? BOXES.get(current.type()) : current.type();
      if (peek().is("(")) {
        current = Value.of(call(type, member, current.isClass()));
      } else if (current.isClass()) {
        current = staticMember(type, member);
      } else {
        Optional<Class<?>> field = property(type, member.text(), member);
        if (field.isEmpty()) {
          throw new Refusal(member, "unknown field '" + member.text() + "' on " + type.getSimpleName());
        }
        current = Value.of(field.get());
      }
    }
    return current;
  }

  /**
   * A method call on {@code owner}: every public method of that name that the arguments could
   * select must be allowed, and so must its result type.
   */
  private Class<?> call(Class<?> owner, Token name, boolean isStatic) {
    expect("(");
    int arity = arguments();
    List<Method> candidates = new ArrayList<>();
    for (Method method : methods(owner)) {
      boolean arityFits = method.getParameterCount() == arity
          || method.isVarArgs() && arity >= method.getParameterCount() - 1;
      if (method.getName().equals(name.text()) && arityFits && Modifier.isStatic(method.getModifiers()) == isStatic) {
        candidates.add(method);
      }
    }
    if (candidates.isEmpty()) {
      throw new Refusal(name, "unknown " + (isStatic ? "function '" : "method '") + name.text() + "' on " + owner.getSimpleName());
    }
    Class<?> result = candidates.get(0).getReturnType();
    for (Method method : candidates) {
      if (!AllowList.allows(method)) {
        throw Refusal.notAllowed(name, method.getDeclaringClass().getName() + "." + method.getName());
      }
      if (method.getReturnType() == void.class) {
        throw new Refusal(name, "'" + name.text() + "' gives no value: rules only read values");
      }
      requireType(method.getReturnType(), name);
      if (method.getReturnType() != result) {
        result = Object.class;
      }
    }
    return result;
  }

  private static List<Method> methods(Class<?> owner) {
    List<Method> methods = new ArrayList<>(List.of(owner.getMethods()));
    if (owner.isInterface()) {
      // Interfaces do not list Object's methods, yet every value has them.
      methods.addAll(List.of(Object.class.getMethods()));
    }
    return methods;
  }

  /** Arguments up to and including ")"; returns how many. */
  private int arguments() {
    int count = 0;
    if (peek().is(")")) {
      take();
      return 0;
    }
    depth++;
    while (true) {
      expression();
      count++;
      if (peek().is(",")) {
        take();
      } else {
        depth--;
        expect(")");
        return count;
      }
    }
  }

  /** A static field (a constant of an allowed class) or a nested class. */
  private Value staticMember(Class<?> owner, Token member) {
    try {
      Field field = owner.getField(member.text());
      if (Modifier.isStatic(field.getModifiers())) {
        // A static field that is not final is shared state, which rules may not read or depend on.
        if (!Modifier.isFinal(field.getModifiers()) || !AllowList.allows(field)) {
          throw Refusal.notAllowed(member, owner.getName() + "." + member.text());
        }
        requireType(field.getType(), member);
        return Value.of(field.getType());
      }
    } catch (NoSuchFieldException e) {
      // not a field: maybe a nested class
    }
    Optional<Class<?>> nested = scope.load(owner.getName() + "$" + member.text());
    if (nested.isEmpty()) {
      throw new Refusal(member, "unknown name '" + owner.getSimpleName() + "." + member.text() + "'");
    }
    requireType(nested.get(), member);
    return new Value(nested.get(), true);
  }

  /**
   * A property as MVEL reads it: {@code name()} (a record component), {@code getName()},
   * {@code isName()}, or a public field. Not a map key: MVEL resolves {@code map.System} to the
   * class before the key, so a name on a map is no plain value; use {@code map.get("key")}.
   */
  private static Optional<Class<?>> property(Class<?> type, String name, Token at) {
    if (type.isArray() && name.equals("length")) {
      return Optional.of(int.class);
    }
    String capitalised = name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (String accessor : List.of(name, "get" + capitalised, "is" + capitalised)) {
      try {
        Method method = type.getMethod(accessor);
        if (Modifier.isStatic(method.getModifiers())) {
          continue;
        }
        if (!AllowList.allows(method)) {
          throw Refusal.notAllowed(at, method.getDeclaringClass().getName() + "." + method.getName());
        }
        requireType(method.getReturnType(), at);
        return Optional.of(method.getReturnType());
      } catch (NoSuchMethodException e) {
        // try the next accessor form
      }
    }
    try {
      Field field = type.getField(name);
      if (!Modifier.isStatic(field.getModifiers()) && AllowList.allows(field)) {
        requireType(field.getType(), at);
        return Optional.of(field.getType());
      }
    } catch (NoSuchFieldException e) {
      // no such property
    }
    return Optional.empty();
  }

  private static void requireType(Class<?> type, Token at) {
    if (!AllowList.allows(type)) {
      throw Refusal.notAllowed(at, (type.isArray() ? type.getComponentType() : type).getName());
    }
  }

  private Refusal unsupported(Token t) {
    String text = t.kind() == Kind.END ? "the end of the expression" : "'" + t.text() + "'";
    return new Refusal(t, text + " is not allowed here: rules may use names, fields, calls, comparisons and arithmetic");
  }

  private Token peek() {
    return peek(0);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(next + ahead, tokens.size() - 1));
  }

  private Token take() {
    Token t = peek();
    if (next < tokens.size() - 1) {
      next++;
    }
    return t;
  }

  private void expect(String symbol) {
    Token t = take();
    if (!t.is(symbol)) {
      throw unsupported(t);
    }
  }

  private void expectEnd() {
    if (peek().kind() != Kind.END) {
      throw unsupported(peek());
    }
  }
}
