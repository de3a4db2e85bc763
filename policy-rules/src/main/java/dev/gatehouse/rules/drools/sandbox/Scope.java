package dev.gatehouse.rules.drools.sandbox;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names rule code can see: the file's imports and imported functions, and the names bound by
 * the rule so far with their types. One per rule; a rule's scope starts from its file's.
 */
final class Scope {

  private final ClassLoader loader;
  private final Map<String, Class<?>> imports;
  private final Set<String> packages;
  private final Map<String, Class<?>> functions;
  private final Map<String, Class<?>> bindings = new HashMap<>();

  private Scope(ClassLoader loader, Map<String, Class<?>> imports, Set<String> packages, Map<String, Class<?>> functions) {
    this.loader = loader;
    this.imports = imports;
    this.packages = packages;
    this.functions = functions;
  }

  /** A file's scope: java.lang and the file's own package are always visible, as in Java. */
  static Scope forFile(ClassLoader loader, String filePackage) {
    Set<String> packages = new LinkedHashSet<>();
    packages.add("java.lang");
    if (filePackage != null && !filePackage.isBlank()) {
      packages.add(filePackage);
    }
    return new Scope(loader, new HashMap<>(), packages, new HashMap<>());
  }

  /** A rule's scope: the file's names, and its own bindings. */
  Scope forRule() {
    return new Scope(loader, imports, packages, functions);
  }

  void importClass(Class<?> type) {
    imports.put(type.getSimpleName(), type);
  }

  void importPackage(String name) {
    packages.add(name);
  }

  void importFunction(String name, Class<?> owner) {
    functions.put(name, owner);
  }

  void bind(String name, Class<?> type) {
    bindings.put(name, type);
  }

  Optional<Class<?>> binding(String name) {
    return Optional.ofNullable(bindings.get(name));
  }

  Optional<Class<?>> function(String name) {
    return Optional.ofNullable(functions.get(name));
  }

  /** The class a simple or qualified name means here, if any: imports, then visible packages, then the name as given. */
  Optional<Class<?>> type(String name) {
    if (!name.contains(".")) {
      Class<?> imported = imports.get(name);
      if (imported != null) {
        return Optional.of(imported);
      }
      for (String pkg : packages) {
        Optional<Class<?>> found = load(pkg + "." + name);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return load(name);
  }

  /** Loads without initialising: resolving a name must never run the class's code. */
  Optional<Class<?>> load(String name) {
    try {
      return Optional.of(Class.forName(name, false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
  }
}
