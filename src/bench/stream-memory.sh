#!/usr/bin/env bash
# What an open stream costs, and who holds it: one gateway (cpu 1) and the bench mock (cpu 0), a warm-up, then
# N slow streams held open; with all of them open it takes native memory tracking, a live-object class histogram
# (a full GC) and the heap after it, optionally a heap dump attributed to owners (lib/HeapOwners.java).
#
#   src/bench/stream-memory.sh [--streams N] [--body-kb K] [--heap-dump] [--jar PATH] [--out DIR] [-- JVM options...]
#
#   --streams N    streams held open (default 2000), 40 events 500 ms apart, opened at 1,000/s
#   --body-kb K    each request carries a K KiB earlier turn (default 0: ~150-byte requests)
#   --heap-dump    also dump the heap with the streams open and print who holds it (needs ~4 GB for the analysis)
#   --jar PATH     gateway jar (default target/llm-gateway-lite.jar, built if missing)
#   -- OPTS        JVM options instead of the run script's defaults (native memory tracking is always added)
# Prints idle, peak and after-GC RSS, live heap and its growth per stream, direct buffers per stream (NMT "Other"),
# stack chunks per stream, and the top of the histogram; raw outputs stay in --out (default /tmp/llmgw-stream-memory).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
N=2000; BODY_KB=0; DUMP=0; JAR=target/llm-gateway-lite.jar; OUT=/tmp/llmgw-stream-memory; OPTS=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --streams) N="$2"; shift 2 ;;
    --body-kb) BODY_KB="$2"; shift 2 ;;
    --heap-dump) DUMP=1; shift ;;
    --jar) JAR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --) shift; OPTS="$*"; break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
source src/scripts/java-home.sh
[[ -f "$JAR" ]] || mvn -B -q -DskipTests package
for tool in wrk node nginx taskset curl; do command -v $tool >/dev/null || { echo "missing $tool: see src/bench/README.md" >&2; exit 1; }; done
# the run script's JVM options (src/scripts/run.sh), with a 1 GB bound as in run.sh's benchmark
DEFAULT_OPTS="-XX:+UseG1GC -Xms32m -XX:GCTimeRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=15000 -XX:-G1PeriodicGCInvokesConcurrent -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=10000 -Xmx1g"
[[ "$(java_major "$JAVA_HOME/bin/java")" -ge 25 ]] && DEFAULT_OPTS="$DEFAULT_OPTS -XX:+UseCompactObjectHeaders"
OPTS="${OPTS:-$DEFAULT_OPTS} -XX:NativeMemoryTracking=summary"
rm -rf "$OUT"; mkdir -p "$OUT/cfg" "$OUT/logs"
MOCK_PORT=$(( 20000 + RANDOM % 10000 )); GW_PORT=$(( MOCK_PORT + 1 ))
GW_PID=""
cleanup() {
  [[ -n "$GW_PID" ]] && kill "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null || true
  "$HERE/mock/start-mock.sh" stop "$OUT/mock" >/dev/null 2>&1 || true
}
trap cleanup EXIT
MOCK_CPUS="${BENCH_LOAD_CPU:-0}" "$HERE/mock/start-mock.sh" start "$MOCK_PORT" "$OUT/mock" >/dev/null
cat > "$OUT/cfg/providers.yaml" <<YAML
version: 1
providers:
  mock:
    type: openai_compat
    base_url: "http://127.0.0.1:$MOCK_PORT"
    endpoints:
      chat_completions: "/v1/chat/completions"
    keys:
      - id: "bench-key-1"
        value: "sk-bench-1"
    timeout_ms: 60000
    max_connections: 20000
YAML
cat > "$OUT/cfg/models.yaml" <<YAML
version: 1
models:
  gpt-4o-mini:
    aliases: ["gpt-4o-mini"]
    provider_map:
      mock: "gpt-4o-mini"
YAML
# shellcheck disable=SC2086
GATEWAY_HOST=127.0.0.1 GATEWAY_PORT=$GW_PORT GATEWAY_CONFIG_DIR="$OUT/cfg" GATEWAY_LOG_DIR="$OUT/logs" \
  taskset -c "${BENCH_GW_CPU:-1}" "$JAVA_HOME/bin/java" $OPTS -jar "$JAR" > "$OUT/gateway.out" 2>&1 &
GW_PID=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$GW_PORT/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$GW_PORT/readyz" >/dev/null || { echo "gateway did not start: $OUT/gateway.out" >&2; exit 1; }
rss() { awk '/^VmRSS:/{print int($2/1024)}' "/proc/$GW_PID/status"; }
URL="http://127.0.0.1:$GW_PORT/v1/chat/completions"
hold() { taskset -c "${BENCH_LOAD_CPU:-0}" node "$HERE/lib/sse-client.js" hold --url "$URL" "$@"; }
echo "warming up (15 s of requests, 500 short streams)..." >&2
taskset -c "${BENCH_LOAD_CPU:-0}" wrk -t1 -c32 -d15s -s "$HERE/lib/wrk-post.lua" "$URL" >/dev/null 2>&1 || true
hold --conns 500 --chunks 4 --interval 100 >/dev/null 2>&1 || true
sleep 20
IDLE=$(rss)
"$JAVA_HOME/bin/jcmd" "$GW_PID" GC.class_histogram > "$OUT/histogram-idle.txt"
IDLE_LIVE=$(awk '/^Total/{print $3}' "$OUT/histogram-idle.txt")
"$JAVA_HOME/bin/jcmd" "$GW_PID" VM.native_memory summary > "$OUT/nmt-idle.txt"
echo "opening $N streams (${BODY_KB} KiB request bodies)..." >&2
hold --conns "$N" --chunks 40 --interval 500 --ramp 1000 --body-kb "$BODY_KB" > "$OUT/hold.json" 2> "$OUT/hold.err" &
HOLD=$!
PEAK=0
# the streams are all open ~N/1000 s after the start and last 20 s: sample until then, measure in the middle
for _ in $(seq $(( (N / 1000 + 8) * 2 ))); do r=$(rss); (( r > PEAK )) && PEAK=$r; sleep 0.5; done
"$JAVA_HOME/bin/jcmd" "$GW_PID" VM.native_memory summary > "$OUT/nmt-open.txt"
"$JAVA_HOME/bin/jcmd" "$GW_PID" GC.class_histogram > "$OUT/histogram-open.txt"
AFTER_GC=$(rss)
[[ $DUMP == 1 ]] && "$JAVA_HOME/bin/jcmd" "$GW_PID" GC.heap_dump "$OUT/heap.hprof" >/dev/null
wait "$HOLD" || true
OK=$(grep -o '"ok":[0-9]*' "$OUT/hold.json" | cut -d: -f2)
LIVE=$(awk '/^Total/{print $3}' "$OUT/histogram-open.txt")
direct() { awk '/^-  *Other/{f=1} f && /malloc=/{sub(/.*malloc=/, ""); sub(/KB.*/, ""); print; exit}' "$1"; }
CHUNKS=$(awk '/jdk.internal.vm.StackChunk/{print $3}' "$OUT/histogram-open.txt")
echo "streams: $OK of $N completed; request body ${BODY_KB} KiB"
echo "RSS MB: idle $IDLE, peak $PEAK, with the streams open after a full GC $AFTER_GC"
awk -v l="$LIVE" -v i="$IDLE_LIVE" -v n="$N" -v c="$CHUNKS" -v dO="$(direct "$OUT/nmt-open.txt")" -v dI="$(direct "$OUT/nmt-idle.txt")" 'BEGIN {
  printf "live heap MB: idle %.1f, open %.1f -> %.1f KB per stream (stack chunks %.1f KB of it)\n", i/1048576, l/1048576, (l-i)/1024/n, c/1024/n
  printf "direct buffers (NMT Other) MB: idle %.1f, open %.1f -> %.1f KB per stream (Jetty keeps up to 4 MiB of idle buffers for reuse: read this with thousands of streams)\n", dI/1024, dO/1024, (dO-dI)/n }'
echo "top of the live histogram with the streams open:"
sed -n '4,13p' "$OUT/histogram-open.txt"
if [[ $DUMP == 1 ]]; then
  echo "owners (from $OUT/heap.hprof; fixed costs such as Log4j's ring buffer are divided by the streams too):"
  "$JAVA_HOME/bin/java" -Xmx4g "$HERE/lib/HeapOwners.java" "$OUT/heap.hprof" "$N" 2>/dev/null | sed -n '/== by library/,/== by owner <-/p' | head -60
  rm -f "$OUT/heap.hprof"
fi
