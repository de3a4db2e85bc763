#!/usr/bin/env bash
# Benchmark of GET /v1/board on a generated workspace: 500 issues (GATEHOUSE_BENCH_ISSUES) written by
# bench/generate-workspace.py, every issue against the four gates of the bundled policies (2,000
# decisions per board), decided at 2026-06-02T10:00:00Z as the actor cto-harness, not logged.
# Starts `gatehouse serve` on a free port with that workspace and a temporary data directory (no
# tokens: loopback only, so the board needs no token), waits for /health/ready, draws the board
# GATEHOUSE_BENCH_WARMUP times (default 10) to warm the JVM, then GATEHOUSE_BENCH_RUNS times
# (default 7), timing each GET with curl (time_total: request sent to last byte read). Prints every
# run, the median, the board's size, and the load average (uptime) before and after.
#
# Environment: GATEHOUSE_BENCH_WORKSPACE (use this workspace instead of generating one),
# GATEHOUSE_BENCH_ISSUES (default 500), GATEHOUSE_POLICIES (policy directory), GATEHOUSE_JAVA_OPTS
# (JVM flags; default those of ./gatehouse).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="policy-server/target/gatehouse.jar"
policies="${GATEHOUSE_POLICIES:-$root/policies}"
java_opts="${GATEHOUSE_JAVA_OPTS:--XX:+UseSerialGC -Xmn64m}"
warmup="${GATEHOUSE_BENCH_WARMUP:-10}"
runs="${GATEHOUSE_BENCH_RUNS:-7}"
at="2026-06-02T10:00:00Z"

[ -d "$policies" ] || { echo "board-bench: policy directory not found: $policies" >&2; exit 2; }
if [ ! -f "$jar" ]; then
  echo "board-bench: building $jar ..." >&2
  mvn -q -B -DskipTests package
fi
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

workspace="${GATEHOUSE_BENCH_WORKSPACE:-}"
if [ -z "$workspace" ]; then
  workspace="$work/workspace"
  python3 bench/generate-workspace.py --issues "${GATEHOUSE_BENCH_ISSUES:-500}" "$workspace" >&2
fi
echo "board-bench: load before: $(uptime)" >&2

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
url="http://127.0.0.1:$port"
log="$work/server.log"
# Started in this shell, not in a $(...) subshell, so that cleanup sees the pid.
java $java_opts -jar "$jar" serve --policies "$policies" --workspace "$workspace" --port "$port" \
  --data "$work/data" >"$log" 2>&1 &
server="$!"
# Ready only once this server says it serves on this port: another process may have taken the port
# between choosing it and the server binding it, and would answer the probe instead.
for _ in $(seq 1 240); do
  grep -q "on $url\b" "$log" && curl -fsS "$url/health/ready" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { echo "board-bench: server exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.5
done
grep -q "on $url\b" "$log" && curl -fsS "$url/health/ready" >/dev/null || { echo "board-bench: server not ready:" >&2; cat "$log" >&2; exit 1; }
curl -fsS "$url/v1/workspace" | python3 -c 'import json, sys; w = json.load(sys.stdin); print("board-bench: workspace", w.get("revision"), w.get("counts") or w.get("facts"), file=sys.stderr)'

board() {
  curl -fsS -o "$work/board.json" -w '%{time_total}\n' "$url/v1/board?at=$at"
}

echo "board-bench: warm-up, $warmup boards ..." >&2
for i in $(seq 1 "$warmup"); do
  printf 'warm-up %2d: %6.0f ms\n' "$i" "$(awk -v s="$(board)" 'BEGIN { print s * 1000 }')" >&2
done
python3 - "$work/board.json" >&2 <<'EOF'
import json, sys
board = json.load(open(sys.argv[1]))
cells = [c for row in board["rows"] for c in row["cells"].values()]
denied = [c for c in cells if c["outcome"] == "DENY"]
print(f"board-bench: board of {len(board['rows'])} issues x {len(board['gates'])} gates = {len(cells)} decisions, "
      f"{len(denied)} denied, {sum(len(c['remedies']) for c in denied)} remedies")
EOF
echo "board-bench: $(wc -c <"$work/board.json") bytes per board" >&2

times=()
for i in $(seq 1 "$runs"); do
  ms="$(awk -v s="$(board)" 'BEGIN { printf "%.0f", s * 1000 }')"
  times+=("$ms")
  printf 'run %2d: %6d ms\n' "$i" "$ms"
done
median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')"
echo "median of $runs runs: $median ms"
echo "board-bench: load after: $(uptime)" >&2
