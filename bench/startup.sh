#!/usr/bin/env bash
# Start-up and compile-cache timings of whole commands (BENCHMARKS.md, "Start-up and compile cache"):
# medians of RUNS runs (default 5) with hyperfine, for
#   eval cold    eval of bench/execute-request.json compiling the bundled policies (--no-cache)
#   eval new-rev the same with the compile cache emptied before each run (a revision not compiled yet)
#   eval first   the same with the compile cache and the JVM's class archive emptied (a new jar; the
#                launcher's training run that writes the archive afterwards ends before the next run)
#   eval cached  the same with both filled by an earlier run
#   check, test  on the bundled policies, cached
#   serve ready  from starting serve until GET /health/ready answers 200 (own loop, same runs)
#
# ONLY="eval-cached serve-ready" runs only those (names as printed).
# GATEHOUSE_CMD runs Gatehouse (default: this checkout's ./gatehouse launcher), e.g. an older jar:
#   GATEHOUSE_CMD="java -XX:+UseSerialGC -Xmn64m -Dgatehouse.home=$PWD -jar old.jar" bench/startup.sh
# The caches go to a fresh XDG_CACHE_HOME under a temporary directory. Needs hyperfine and curl.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-5}"
cmd="${GATEHOUSE_CMD:-$root/gatehouse}"
request="$root/bench/execute-request.json"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache"

# The launcher's first command of a new jar leaves a training run in the background that writes the
# JVM's class archive; it holds this lock until then.
training_lock="$XDG_CACHE_HOME/gatehouse/jvm/.training-cli.lock"
settle() {
  if [ -f "$training_lock" ]; then flock "$training_lock" true; fi
}

# Builds the jar if needed, and fills both caches.
$cmd eval --request "$request" >/dev/null || true
settle

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# -N: no shell between hyperfine and the command; exit codes are not failures (eval exits 1 on DENY).
# ONLY="eval-cached serve-ready" times only those.
wanted() {
  [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]
}
bench() {
  local name="$1"
  shift
  wanted "$name" || return 0
  hyperfine -N -i --runs "$runs" --warmup 1 --export-json "$work/$name.json" "$@" >/dev/null 2>&1
  python3 - "$work/$name.json" "$name" <<'EOF'
import json, statistics, sys
for result in json.load(open(sys.argv[1]))["results"]:
    times = result["times"]
    print(f"{sys.argv[2]:<12} median {statistics.median(times):6.3f} s  "
          f"(min {min(times):.3f}, max {max(times):.3f}, user {result['user']:.3f} s, system {result['system']:.3f} s mean)")
EOF
}

# Builds older than the compile cache compile every time, and know no --no-cache.
no_cache=""
if $cmd eval --help 2>&1 | grep -q -- --no-cache; then
  no_cache="--no-cache"
fi
bench "eval-cold" "$cmd eval $no_cache --request $request"
bench "eval-new-rev" --prepare "rm -rf $XDG_CACHE_HOME/gatehouse/policy-sets" "$cmd eval --request $request"
# Each run's training must end before the next run starts, or it takes the run's CPU.
printf '#!/bin/sh\n[ ! -f "%s" ] || flock "%s" true\nrm -rf "%s"\n' "$training_lock" "$training_lock" "$XDG_CACHE_HOME" \
  >"$work/empty-caches"
chmod +x "$work/empty-caches"
bench "eval-first" --prepare "$work/empty-caches" "$cmd eval --request $request"
settle
$cmd eval --request "$request" >/dev/null || true
settle
bench "eval-cached" "$cmd eval --request $request"
bench "check" "$cmd check"
bench "test" "$cmd test"

# serve: the time until /health/ready says 200, then stop it (not timed).
if ! wanted serve-ready; then
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi
times=()
cpus=()
for i in $(seq 0 "$runs"); do
  port=$((20000 + RANDOM % 20000))
  start=$(date +%s%N)
  $cmd serve --port "$port" --data "$work/data" >"$work/serve.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "serve exited early:" >&2
      cat "$work/serve.log" >&2
      exit 1
    fi
    sleep 0.02
  done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  # CPU the server used until then (user + system, in clock ticks), when it is the JVM itself.
  cpu=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  kill -TERM "$pid"
  wait "$pid" || true
  # The first run is a warm-up, as for hyperfine.
  if [ "$i" -gt 0 ]; then
    times+=("$ready")
    cpus+=("$cpu")
  fi
done
ticks=$(getconf CLK_TCK)
cpu_median=$(printf '%s\n' "${cpus[@]}" | sort -n | awk -v n="${#cpus[@]}" -v hz="$ticks" '
  { t[NR] = $1 } END { printf "%.2f", t[int((n + 1) / 2)] / hz }')
printf '%s\n' "${times[@]}" | sort -n | awk -v n="${#times[@]}" -v cpu="$cpu_median" '
  { t[NR] = $1 } END { printf "serve-ready  median %6.3f s  (min %.3f, max %.3f, cpu until ready %s s median)\n", t[int((n + 1) / 2)] / 1000, t[1] / 1000, t[n] / 1000, cpu }'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
