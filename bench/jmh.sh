#!/usr/bin/env bash
# JMH benchmark of the engine on the bundled policies (execute gate, 25 facts, ALLOW and DENY).
# Usage: bench/jmh.sh [JMH options]   default: -f 3 -wi 3 -i 5 -w 2s -r 2s -t 1
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -DskipTests install -pl policy-bench -am
cp_file="$(mktemp)"
mvn -q -B dependency:build-classpath -pl policy-bench -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=compile
classpath="policy-bench/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(-f 3 -wi 3 -i 5 -w 2s -r 2s -t 1)
exec java -cp "$classpath" org.openjdk.jmh.Main ExecuteGateBenchmark -p policies="$root/policies" "${args[@]}"
