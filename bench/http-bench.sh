#!/usr/bin/env bash
# HTTP benchmark of POST /v1/decisions on the execute gate with a ~1 KB request (bench/execute-request.json).
# Starts two `gatehouse serve` on free ports (no workspace: the request carries its facts), one logging to
# SQLite in a temporary data directory and one with the decision log off, warms each for 15 s (Drools and
# Jackson need that long to be JIT-compiled), then three runs of `wrk -t2 -c16 -d10s --latency` per server,
# alternating between them so both see the same neighbours. Prints requests/s, p50 and p99 of each run,
# the medians, and the throughput ratio log on / log off (the log's cost, measured in one run).
#
# Environment: GATEHOUSE_POLICIES (policy directory), GATEHOUSE_JAVA_OPTS (JVM flags; default those of
# ./gatehouse), GATEHOUSE_BENCH_DURATION (default 10s), GATEHOUSE_BENCH_WARMUP (default 15s),
# GATEHOUSE_BENCH_SYNC (the logging server's log.sync: normal, the default, or full),
# GATEHOUSE_BENCH_CONNECTIONS (wrk's concurrent connections; default 16, the figure BENCHMARKS.md reports).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="policy-server/target/gatehouse.jar"
policies="${GATEHOUSE_POLICIES:-$root/policies}"
duration="${GATEHOUSE_BENCH_DURATION:-10s}"
results="bench/results"
java_opts="${GATEHOUSE_JAVA_OPTS:--XX:+UseSerialGC -Xmn64m}"

[ -d "$policies" ] || { echo "http-bench: policy directory not found: $policies" >&2; exit 2; }
if [ ! -f "$jar" ]; then
  echo "http-bench: building $jar ..." >&2
  mvn -q -B -DskipTests package
fi
if ! command -v wrk >/dev/null; then
  echo "http-bench: installing wrk ..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null
fi
mkdir -p "$results"
work="$(mktemp -d)"
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start_server NAME [serve args...]: starts a server, waits until it is ready, appends its URL to
# urls. Runs in this shell, not in a $(...) subshell, so that cleanup sees the pid.
start_server() {
  local name="$1"; shift
  local port log="$results/server-$name.log"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  java $java_opts -jar "$jar" serve --policies "$policies" --port "$port" --no-workspace \
    --data "$work/data-$name" "$@" >"$log" 2>&1 &
  servers+=("$!")
  local url="http://127.0.0.1:$port"
  for _ in $(seq 1 120); do
    curl -fsS "$url/health/ready" >/dev/null 2>&1 && break
    kill -0 "${servers[-1]}" 2>/dev/null || { echo "http-bench: server exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.5
  done
  curl -fsS "$url/health/ready" >/dev/null || { echo "http-bench: server not ready:" >&2; cat "$log" >&2; exit 1; }
  grep -m1 'gatehouse serving' "$log" >&2 || true
  local outcome
  outcome="$(curl -fsS -H 'Content-Type: application/json' --data-binary @bench/execute-request.json "$url/v1/decisions" \
    | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["outcome"], " ".join(r["code"] for r in d["reasons"]))')"
  echo "http-bench: $name: execute gate answers $outcome ($(wc -c <bench/execute-request.json) byte request)" >&2
  urls+=("$url")
}

wrk_run() {
  wrk -t2 -c"${GATEHOUSE_BENCH_CONNECTIONS:-16}" -d"$2" --latency -s bench/post.lua "$1/v1/decisions"
}

# wrk prints latencies as 512.00us, 1.20ms or 1.01s: report milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

printf 'log:\n  enabled: false\n' >"$work/log-off.yaml"
printf 'log:\n  sync: %s\n' "${GATEHOUSE_BENCH_SYNC:-normal}" >"$work/log-on.yaml"
names=(log-on log-off)
urls=()
start_server log-on --config "$work/log-on.yaml"
start_server log-off --config "$work/log-off.yaml"
for i in "${!urls[@]}"; do
  echo "http-bench: warm-up ${names[$i]} ..." >&2
  wrk_run "${urls[$i]}" "${GATEHOUSE_BENCH_WARMUP:-15s}" >/dev/null
done

printf '%-8s %-5s %12s %10s %10s %10s\n' server run 'requests/s' 'p50 ms' 'p99 ms' 'non-2xx'
declare -A rps p50 p99
for run in 1 2 3; do
  for i in "${!urls[@]}"; do
    name="${names[$i]}"
    out="$results/wrk-$name-$run.txt"
    wrk_run "${urls[$i]}" "$duration" >"$out"
    r="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    l50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
    l99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
    bad="$(awk '/Non-2xx/ { print $NF }' "$out")"
    rps[$name]+="$r "; p50[$name]+="$l50 "; p99[$name]+="$l99 "
    printf '%-8s %-5s %12s %10s %10s %10s\n' "$name" "$run" "$r" "$l50" "$l99" "${bad:-0}"
  done
done
for name in "${names[@]}"; do
  # shellcheck disable=SC2086
  printf '%-8s %-5s %12s %10s %10s\n' "$name" median "$(median ${rps[$name]})" "$(median ${p50[$name]})" "$(median ${p99[$name]})"
done
# shellcheck disable=SC2086
awk -v on="$(median ${rps[log-on]})" -v off="$(median ${rps[log-off]})" \
  'BEGIN { printf "log on / log off throughput: %.0f%%\n", 100 * on / off }'
