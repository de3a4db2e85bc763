package dev.gatehouse.rules;

/** Compiles rule files into a policy set, collecting every problem as data. */
public interface PolicyCompiler {

  /** Compiles {@code files}; never throws for a problem in the files. */
  CompileResult compile(PolicyFiles files);
}
