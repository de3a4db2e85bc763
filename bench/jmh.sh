#!/usr/bin/env bash
# JMH benchmarks of the engine on the bundled policies, each beside the naive Drools baseline
# (NaiveDrools: a stateless session of the same rules, no trace) in the same run:
#   ExecuteGateBenchmark  execute gate, every fact in the request (25 facts), ALLOW and DENY
#   WorkspaceBenchmark    execute gate in workspace mode (examples/workspace): no request facts
#                         (ALLOW, DENY) and a harness bringing a run and evidence (requestFacts)
# Not run by default: HttpPathBenchmark, the JSON work of POST /v1/decisions outside the engine
# (reading bench/execute-request.json, encoding its decision): GATEHOUSE_JMH_BENCHMARKS=HttpPathBenchmark
# Usage: bench/jmh.sh [JMH options]   default: -f 3 -wi 3 -i 5 -w 2s -r 2s -t 1
#   GATEHOUSE_JMH_BENCHMARKS  the benchmarks to run (a JMH regex), default both classes above
#   GATEHOUSE_JMH_WORKSPACES  WorkspaceBenchmark's workspaces, comma-separated: directories, or
#                             generated-N for a generated workspace of N issues (GeneratedWorkspace),
#                             e.g. "$PWD/examples/workspace,generated-5000"
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
benchmarks="${GATEHOUSE_JMH_BENCHMARKS:-ExecuteGateBenchmark|WorkspaceBenchmark}"
workspaces="${GATEHOUSE_JMH_WORKSPACES:-$root/examples/workspace}"
# Show which engine jars run (they must be this checkout's target/ jars).
echo "$classpath" | tr : "\n" | grep -E "policy-(model|rules)" >&2
exec java -cp "$classpath" org.openjdk.jmh.Main "$benchmarks" -p policies="$root/policies" \
  -p workspace="$workspaces" "${args[@]}"
