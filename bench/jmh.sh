#!/usr/bin/env bash
# JMH benchmark of the engine on the bundled policies (execute gate, 25 facts, ALLOW and DENY).
# Usage: bench/jmh.sh [JMH options]   default: -f 3 -wi 3 -i 5 -w 2s -r 2s -t 1
#
# Builds in this checkout's reactor only (never `mvn install`: worktrees share ~/.m2, so an
# installed policy-rules from another checkout must not end up on the benchmark's classpath).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
# One reactor build: dependency:build-classpath then resolves policy-model and policy-rules to
# this checkout's freshly packaged jars (the last module, policy-bench, writes the file).
mvn -q -B -DskipTests package dependency:build-classpath -pl policy-bench -am \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=compile
classpath="$root/policy-bench/target/classes:$(cat "$cp_file")"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(-f 3 -wi 3 -i 5 -w 2s -r 2s -t 1)
# Show which engine jars run (they must be this checkout's target/ jars).
echo "$classpath" | tr : "\n" | grep -E "policy-(model|rules)" >&2
exec java -cp "$classpath" org.openjdk.jmh.Main ExecuteGateBenchmark -p policies="$root/policies" "${args[@]}"
