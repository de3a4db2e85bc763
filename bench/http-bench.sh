#!/usr/bin/env bash
# HTTP benchmark of POST /v1/decisions on the execute gate with a ~1 KB request (bench/execute-request.json):
# starts `gatehouse serve` on a free port, then three runs of `wrk -t2 -c16 -d10s --latency` after a 15 s warm-up
# (Drools and Jackson need that long to be JIT-compiled),
# and prints requests/s, p50 and p99 of each run and their medians.
# Usage: bench/http-bench.sh            policies: $GATEHOUSE_POLICIES, default the bundled policies/
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="policy-server/target/gatehouse.jar"
policies="${GATEHOUSE_POLICIES:-$root/policies}"
duration="${GATEHOUSE_BENCH_DURATION:-10s}"
results="bench/results"

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

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
mkdir -p "$results"
server_log="$results/server.log"
java ${GATEHOUSE_JAVA_OPTS:-} -jar "$jar" serve --policies "$policies" --port "$port" >"$server_log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

url="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -fsS "$url/health/ready" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { echo "http-bench: server exited:" >&2; cat "$server_log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "$url/health/ready" >/dev/null || { echo "http-bench: server not ready:" >&2; cat "$server_log" >&2; exit 1; }
head -n 1 <(grep 'gatehouse serving' "$server_log") >&2 || true
outcome="$(curl -fsS -H 'Content-Type: application/json' --data-binary @bench/execute-request.json "$url/v1/decisions" \
  | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["outcome"], " ".join(r["code"] for r in d["reasons"]))')"
echo "http-bench: execute gate answers: $outcome ($(wc -c <bench/execute-request.json) byte request)" >&2

wrk_run() {
  wrk -t2 -c16 -d"$1" --latency -s bench/post.lua "$url/v1/decisions"
}

# wrk prints latencies as 512.00us, 1.20ms or 1.01s: report milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

echo "http-bench: warm-up ..." >&2
wrk_run "${GATEHOUSE_BENCH_WARMUP:-15s}" >/dev/null

printf '%-5s %12s %10s %10s %10s\n' run 'requests/s' 'p50 ms' 'p99 ms' 'non-2xx'
rps=(); p50=(); p99=()
for run in 1 2 3; do
  out="$results/wrk-$run.txt"
  wrk_run "$duration" >"$out"
  r="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
  l50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
  l99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
  bad="$(awk '/Non-2xx/ { print $NF }' "$out")"
  rps+=("$r"); p50+=("$l50"); p99+=("$l99")
  printf '%-5s %12s %10s %10s %10s\n' "$run" "$r" "$l50" "$l99" "${bad:-0}"
done

median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
printf '%-5s %12s %10s %10s\n' median "$(median "${rps[@]}")" "$(median "${p50[@]}")" "$(median "${p99[@]}")"
