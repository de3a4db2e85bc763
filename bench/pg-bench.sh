#!/usr/bin/env bash
# HTTP benchmark of the decision log on PostgreSQL: POST /v1/decisions on the execute gate with the ~1 KB
# request of http-bench.sh, against
#   sqlite  one `gatehouse serve` logging to SQLite (the embedded default, sync: normal),
#   sqlite-full  the same with log.sync: full, which flushes every group commit to disk as PostgreSQL does,
#   pg-1    one `gatehouse serve` logging to PostgreSQL (log.store: postgresql),
#   pg-2    two `gatehouse serve` replicas sharing one PostgreSQL database, behind one wrk whose two
#           threads each load one replica (bench/post.lua, GATEHOUSE_BENCH_TARGETS).
# Each is warmed for 15 s, then three runs of `wrk -t2 -c16 -d10s --latency` each, alternating between them
# so all see the same neighbours. Prints requests/s, p50 and p99 of each run and the medians.
#
# PostgreSQL: GATEHOUSE_BENCH_POSTGRES (default postgresql://postgres@127.0.0.1:5432/postgres), a user who
# may create databases; each setup gets a database of its own, dropped at the end (psql does both).
# Environment as http-bench.sh: GATEHOUSE_POLICIES, GATEHOUSE_JAVA_OPTS, GATEHOUSE_BENCH_DURATION,
# GATEHOUSE_BENCH_WARMUP, GATEHOUSE_BENCH_CONNECTIONS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="policy-server/target/gatehouse.jar"
policies="${GATEHOUSE_POLICIES:-$root/policies}"
duration="${GATEHOUSE_BENCH_DURATION:-10s}"
results="bench/results"
java_opts="${GATEHOUSE_JAVA_OPTS:--XX:+UseSerialGC -Xmn64m}"
admin="${GATEHOUSE_BENCH_POSTGRES:-postgresql://postgres@127.0.0.1:5432/postgres}"

[ -d "$policies" ] || { echo "pg-bench: policy directory not found: $policies" >&2; exit 2; }
command -v psql >/dev/null || { echo "pg-bench: needs psql (apt-get install postgresql-client)" >&2; exit 2; }
psql "$admin" -qAtc 'SELECT 1' >/dev/null || { echo "pg-bench: PostgreSQL does not answer at $admin" >&2; exit 2; }
if [ ! -f "$jar" ]; then
  echo "pg-bench: building $jar ..." >&2
  mvn -q -B -DskipTests package
fi
if ! command -v wrk >/dev/null; then
  echo "pg-bench: installing wrk ..." >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null
fi
mkdir -p "$results"
work="$(mktemp -d)"
suffix="$(date +%s)_$$"
databases=("gatehouse_bench_pg1_$suffix" "gatehouse_bench_pg2_$suffix")
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  for db in "${databases[@]}"; do psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for db in "${databases[@]}"; do psql "$admin" -qc "CREATE DATABASE $db" >/dev/null; done
# The admin URL with another database: postgresql://user@host:port/DB
db_url() { echo "${admin%/*}/$1"; }

# start_server NAME [serve args...]: starts a server and waits until it is ready; echoes nothing, sets
# the global `started` to its host:port. Runs in this shell so that cleanup sees the pid.
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
    kill -0 "${servers[-1]}" 2>/dev/null || { echo "pg-bench: server exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.5
  done
  curl -fsS "$url/health/ready" >/dev/null || { echo "pg-bench: server not ready:" >&2; cat "$log" >&2; exit 1; }
  grep -m1 'gatehouse serving' "$log" | sed 's/ on http.*//' >&2 || true
  started="127.0.0.1:$port"
}

wrk_run() { # wrk_run TARGETS DURATION: one server, or several spread over wrk's threads
  local first="${1%% *}"
  GATEHOUSE_BENCH_TARGETS="$1" wrk -t2 -c"${GATEHOUSE_BENCH_CONNECTIONS:-16}" -d"$2" --latency -s bench/post.lua \
    "http://$first/v1/decisions"
}

# wrk prints latencies as 512.00us, 1.20ms or 1.01s: report milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

names=(sqlite sqlite-full pg-1 pg-2)
declare -A targets
start_server sqlite; targets[sqlite]="$started"
printf 'log:\n  sync: full\n' >"$work/full.yaml"
start_server sqlite-full --config "$work/full.yaml"; targets[sqlite-full]="$started"
start_server pg-1 --log-url "$(db_url "${databases[0]}")"; targets[pg-1]="$started"
start_server pg-2a --log-url "$(db_url "${databases[1]}")"; targets[pg-2]="$started"
start_server pg-2b --log-url "$(db_url "${databases[1]}")"; targets[pg-2]+=" $started"
for name in "${names[@]}"; do
  echo "pg-bench: warm-up $name (${targets[$name]}) ..." >&2
  wrk_run "${targets[$name]}" "${GATEHOUSE_BENCH_WARMUP:-15s}" >/dev/null
done

printf '%-11s %-5s %12s %10s %10s %10s\n' setup run 'requests/s' 'p50 ms' 'p99 ms' 'non-2xx'
declare -A rps p50 p99
for run in 1 2 3; do
  for name in "${names[@]}"; do
    out="$results/wrk-$name-$run.txt"
    wrk_run "${targets[$name]}" "$duration" >"$out"
    r="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    l50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
    l99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
    bad="$(awk '/Non-2xx/ { print $NF }' "$out")"
    rps[$name]+="$r "; p50[$name]+="$l50 "; p99[$name]+="$l99 "
    printf '%-11s %-5s %12s %10s %10s %10s\n' "$name" "$run" "$r" "$l50" "$l99" "${bad:-0}"
  done
done
for name in "${names[@]}"; do
  # shellcheck disable=SC2086
  printf '%-11s %-5s %12s %10s %10s\n' "$name" median "$(median ${rps[$name]})" "$(median ${p50[$name]})" "$(median ${p99[$name]})"
done
# The two replicas' group commits: decisions per commit, from each one's /metrics.
for target in ${targets[pg-2]} ${targets[pg-1]} ${targets[sqlite-full]} ${targets[sqlite]}; do
  curl -fsS "http://$target/metrics" | awk -v t="$target" '
    /^gatehouse_log_decisions_total / { d = $2 } /^gatehouse_log_commit_seconds_count / { c = $2 }
    /^gatehouse_log_commit_seconds_sum / { s = $2 }
    END { if (c > 0) printf "%s: %d decisions in %d group commits, %.1f a commit, %.2f ms a commit\n", t, d, c, d / c, 1000 * s / c }'
done
echo "pg-bench: load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
