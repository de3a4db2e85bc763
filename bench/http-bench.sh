#!/usr/bin/env bash
# HTTP benchmark of POST /v1/decisions on the execute gate with a 1.4 KB request (bench/execute-request.json),
# side by side with a bare Vert.x server in the same run.
#
# Starts, on free ports:
#   baseline  the bare Vert.x 5 server of policy-bench (dev.gatehouse.bench.BareVertxServer): reads the
#             body, parses it with Jackson, answers a fixed 1.8 KB decision; the ceiling for this machine
#   log-on    `gatehouse serve` logging to SQLite in a temporary data directory (the default)
#   log-off   `gatehouse serve` with the decision log off
# (both Gatehouse servers without a workspace: the request carries its facts), warms each for 15 s (Drools
# and Jackson need that long to be JIT-compiled on a quiet machine; at a load of 20, 45 s), then runs `wrk -t2 -c16 -d10s --latency` on each server in
# turn, three rounds, every round taking all servers (starting with a different one each round), so all of
# them see the same neighbours. Prints requests/s, p50 and p99 of each run, the server's CPU time per request
# (user + system, from /proc/PID/stat: steadier than requests/s on a loaded machine), each server's medians,
# the throughput ratios log-off / baseline, log-on / baseline and log-on / log-off, and `uptime` at each round.
#
# Environment: GATEHOUSE_POLICIES (policy directory), GATEHOUSE_JAVA_OPTS (JVM flags of every server; default
# those of ./gatehouse), GATEHOUSE_BENCH_DURATION (default 10s), GATEHOUSE_BENCH_WARMUP (default 15s),
# GATEHOUSE_BENCH_RUNS (rounds, default 3), GATEHOUSE_BENCH_SYNC (the logging server's log.sync: normal, the
# default, or full), GATEHOUSE_BENCH_CONNECTIONS (wrk's concurrent connections; default 16, the figure
# BENCHMARKS.md reports), GATEHOUSE_BENCH_COMPARE_JAR (another build's gatehouse.jar: adds its servers cmp-on
# and cmp-off, on GATEHOUSE_BENCH_COMPARE_POLICIES, default the same policies, to compare two builds in one
# run), GATEHOUSE_BENCH_SERVERS (which of baseline log-on log-off cmp-on cmp-off to run; default all that apply).
#
# The jar and the baseline are built when missing, not when stale: after a change run
# `mvn -o -q -B -DskipTests package` first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="policy-server/target/gatehouse.jar"
baseline_classes="policy-bench/target/classes"
policies="${GATEHOUSE_POLICIES:-$root/policies}"
duration="${GATEHOUSE_BENCH_DURATION:-10s}"
rounds="${GATEHOUSE_BENCH_RUNS:-3}"
compare_jar="${GATEHOUSE_BENCH_COMPARE_JAR:-}"
compare_policies="${GATEHOUSE_BENCH_COMPARE_POLICIES:-$policies}"
results="bench/results"
java_opts="${GATEHOUSE_JAVA_OPTS:--XX:+UseSerialGC -Xmn64m}"

[ -d "$policies" ] || { echo "http-bench: policy directory not found: $policies" >&2; exit 2; }
if [ ! -f "$jar" ] || [ ! -f "$baseline_classes/dev/gatehouse/bench/BareVertxServer.class" ]; then
  echo "http-bench: building $jar and the baseline ..." >&2
  mvn -q -B -DskipTests package
fi
if [ -n "$compare_jar" ]; then
  [ -f "$compare_jar" ] || { echo "http-bench: GATEHOUSE_BENCH_COMPARE_JAR not found: $compare_jar" >&2; exit 2; }
  compare_jar="$(cd "$(dirname "$compare_jar")" && pwd)/$(basename "$compare_jar")"
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

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_ready NAME URL LOG: waits until the server answers its readiness probe and checks its answer to the
# benchmark's request; appends NAME and URL to names and urls.
wait_ready() {
  local name="$1" url="$2" log="$3"
  # Ready only once this server says it serves on this port: another process holding the port (other
  # benchmarks run on this machine) would answer the probe too.
  for _ in $(seq 1 120); do
    grep -q "$url\b" "$log" 2>/dev/null && curl -fsS "$url/health/ready" >/dev/null 2>&1 && break
    kill -0 "${servers[-1]}" 2>/dev/null || { echo "http-bench: $name exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.5
  done
  grep -q "$url\b" "$log" && curl -fsS "$url/health/ready" >/dev/null \
    || { echo "http-bench: $name not ready:" >&2; cat "$log" >&2; exit 1; }
  grep -m1 'serving' "$log" >&2 || true
  local outcome
  outcome="$(curl -fsS -H 'Content-Type: application/json' --data-binary @bench/execute-request.json -o "$work/answer-$name.json" \
      -w '%{size_download}' "$url/v1/decisions")"
  outcome="$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["outcome"], " ".join(r["code"] for r in d["reasons"]))' \
      "$work/answer-$name.json") ($outcome byte answer)"
  echo "http-bench: $name: execute gate answers $outcome to a $(wc -c <bench/execute-request.json) byte request" >&2
  names+=("$name"); urls+=("$url")
}

# start_gatehouse NAME JAR POLICIES [serve args...]: starts a Gatehouse server. Runs in this shell, not in a
# $(...) subshell, so that cleanup sees the pid.
start_gatehouse() {
  local name="$1" server_jar="$2" server_policies="$3"; shift 3
  local port log="$results/server-$name.log"
  port="$(free_port)"
  # shellcheck disable=SC2086
  java $java_opts -jar "$server_jar" serve --policies "$server_policies" --port "$port" --no-workspace \
    --data "$work/data-$name" "$@" >"$log" 2>&1 &
  servers+=("$!")
  wait_ready "$name" "http://127.0.0.1:$port" "$log"
}

start_baseline() {
  local port log="$results/server-baseline.log"
  port="$(free_port)"
  # shellcheck disable=SC2086
  java $java_opts -cp "$baseline_classes:$jar" dev.gatehouse.bench.BareVertxServer "$port" >"$log" 2>&1 &
  servers+=("$!")
  wait_ready baseline "http://127.0.0.1:$port" "$log"
}

wrk_run() {
  wrk -t2 -c"${GATEHOUSE_BENCH_CONNECTIONS:-16}" -d"$2" --latency -s bench/post.lua "$1/v1/decisions"
}

# wrk prints latencies as 512.00us, 1.20ms or 1.01s: report milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

# cpu_ticks PID: the process's user + system CPU time so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

wanted() {
  local list="${GATEHOUSE_BENCH_SERVERS:-baseline log-on log-off cmp-on cmp-off}"
  [[ " $list " == *" $1 "* ]]
}

printf 'log:\n  enabled: false\n' >"$work/log-off.yaml"
printf 'log:\n  sync: %s\n' "${GATEHOUSE_BENCH_SYNC:-normal}" >"$work/log-on.yaml"
echo "http-bench: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, load:$(uptime | sed 's/.*load average://')" >&2
names=(); urls=()
if wanted baseline; then start_baseline; fi
if wanted log-on; then start_gatehouse log-on "$jar" "$policies" --config "$work/log-on.yaml"; fi
if wanted log-off; then start_gatehouse log-off "$jar" "$policies" --config "$work/log-off.yaml"; fi
if [ -n "$compare_jar" ]; then
  if wanted cmp-on; then start_gatehouse cmp-on "$compare_jar" "$compare_policies" --config "$work/log-on.yaml"; fi
  if wanted cmp-off; then start_gatehouse cmp-off "$compare_jar" "$compare_policies" --config "$work/log-off.yaml"; fi
fi
[ ${#names[@]} -gt 0 ] || { echo "http-bench: no server selected" >&2; exit 2; }
for i in "${!urls[@]}"; do
  echo "http-bench: warm-up ${names[$i]} ..." >&2
  wrk_run "${urls[$i]}" "${GATEHOUSE_BENCH_WARMUP:-15s}" >/dev/null
done

printf '%-8s %-5s %12s %10s %10s %10s %12s\n' server run 'requests/s' 'p50 ms' 'p99 ms' 'errors' 'cpu us/req'
declare -A rps p50 p99 cpu
hz="$(getconf CLK_TCK)"
count=${#names[@]}
for run in $(seq 1 "$rounds"); do
  echo "round $run, load:$(uptime | sed 's/.*load average://')"
  for k in $(seq 0 $((count - 1))); do
    i=$(( (k + run - 1) % count ))
    name="${names[$i]}"
    out="$results/wrk-$name-$run.txt"
    before="$(cpu_ticks "${servers[$i]}")"
    wrk_run "${urls[$i]}" "$duration" >"$out"
    after="$(cpu_ticks "${servers[$i]}")"
    r="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    l50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
    l99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
    # Answers that are not 2xx, and socket errors (connect, read, write, timeout) added up.
    bad="$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$out")"
    requests="$(awk '/requests in/ { print $1 }' "$out")"
    c="$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')"
    rps[$name]+="$r "; p50[$name]+="$l50 "; p99[$name]+="$l99 "; cpu[$name]+="$c "
    printf '%-8s %-5s %12s %10s %10s %10s %12s\n' "$name" "$run" "$r" "$l50" "$l99" "${bad:-0}" "$c"
  done
done
echo "end, load:$(uptime | sed 's/.*load average://')"
declare -A med
for name in "${names[@]}"; do
  # shellcheck disable=SC2086
  med[$name]="$(median ${rps[$name]})"
  # shellcheck disable=SC2086
  printf '%-8s %-5s %12s %10s %10s %10s %12s\n' "$name" median "${med[$name]}" "$(median ${p50[$name]})" \
    "$(median ${p99[$name]})" '' "$(median ${cpu[$name]})"
done
ratio() {
  [ -n "${med[$1]:-}" ] && [ -n "${med[$2]:-}" ] || return 0
  awk -v a="${med[$1]}" -v b="${med[$2]}" -v label="$1 / $2" 'BEGIN { printf "%-20s %5.0f%%\n", label, 100 * a / b }'
}
echo "throughput, medians:"
ratio log-off baseline
ratio log-on baseline
ratio log-on log-off
ratio cmp-off baseline
ratio cmp-on baseline
ratio log-off cmp-off
ratio log-on cmp-on
