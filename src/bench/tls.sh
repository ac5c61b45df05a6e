#!/usr/bin/env bash
# HTTPS row of the benchmark: the gateway in front of the nginx mock over plain HTTP/1.1, TLS + HTTP/1.1 and
# TLS + HTTP/2 (ALPN), measured in one run with the same load:
#   max req/s   wrk -t1 -c64 -d${DUR}s, non-stream POST /v1/chat/completions through the gateway
#   TTFB        20 sequential streams of 20 events 20 ms apart (sse-client.js seq): time to the first event, p50
#   streams     1,000 streams of 20 events 500 ms apart held at once (sse-client.js hold): completed, and the
#               gateway's TCP connections to the mock at the peak (ss, sampled every 0.5 s)
# Usage: src/bench/tls.sh [--duration S] [--warmup S]     (~3 min; builds target/llm-gateway-lite.jar if missing)
# Needs what run.sh needs (wrk, nginx-light + lua, nodejs, curl, iproute2) plus openssl. Everything runs on
# 127.0.0.1; the gateway is pinned to cpu 1, mock and load to cpu 0; all of it is stopped on exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DUR=10; WARM=15
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DUR="$2"; shift 2 ;;
    --warmup) WARM="$2"; shift 2 ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
  esac
done
for c in wrk nginx node curl ss openssl taskset; do command -v "$c" >/dev/null || { echo "missing: $c" >&2; exit 1; }; done
source "$ROOT/src/scripts/java-home.sh"
JAR="$ROOT/target/llm-gateway-lite.jar"
[[ -f "$JAR" ]] || (cd "$ROOT" && mvn -B -q -DskipTests package)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

OUT="$(mktemp -d /tmp/gw-tls-bench.XXXXXX)"
GW_PID=""
cleanup() {
  [[ -n "$GW_PID" ]] && kill "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null || true
  "$HERE/mock/start-mock.sh" stop "$OUT/mock" || true
  rm -rf "$OUT"
}
trap cleanup EXIT INT TERM
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PLAIN=$(free_port); TLS=$(free_port); GWP=$(free_port)

# a throwaway certificate for 127.0.0.1, trusted by the gateway through ca_file (never written outside $OUT)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$OUT/mock.key" -out "$OUT/mock.crt" 2>/dev/null
MOCK_CPUS=0 MOCK_TLS_PORT=$TLS MOCK_TLS_CERT="$OUT/mock.crt" MOCK_TLS_KEY="$OUT/mock.key" \
  "$HERE/mock/start-mock.sh" start "$PLAIN" "$OUT/mock" >/dev/null

mkdir -p "$OUT/cfg"
provider() { # name url extra
  printf '  %s:\n    base_url: "%s"\n    keys: [{id: k, value: sk-bench}]\n    timeout_ms: 60000\n    max_connections: 20000\n%s' "$1" "$2" "$3"
}
{
  echo "providers:"
  provider plain "http://127.0.0.1:$PLAIN" ""
  provider tls11 "https://127.0.0.1:$TLS" "    ca_file: \"$OUT/mock.crt\"
    http_version: \"1.1\"
"
  provider tls2 "https://127.0.0.1:$TLS" "    ca_file: \"$OUT/mock.crt\"
"
  echo "models:"
  for p in plain tls11 tls2; do printf '  m-%s:\n    provider_map: {%s: gpt-4o-mini}\n' "$p" "$p"; done
} > "$OUT/cfg/gateway.yaml"

GATEWAY_HOST=127.0.0.1 GATEWAY_PORT=$GWP GATEWAY_CONFIG_DIR="$OUT/cfg" GATEWAY_LOG_DIR="$OUT/logs" \
  GATEWAY_LOG_BODIES=false taskset -c 1 "$JAVA_HOME/bin/java" $(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' "$HERE/run.sh") \
  -jar "$JAR" > "$OUT/gateway.out" 2>&1 &
GW_PID=$!
for _ in $(seq 300); do curl -fsS -m 1 "http://127.0.0.1:$GWP/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
URL="http://127.0.0.1:$GWP/v1/chat/completions"
L=(taskset -c 0)

body() { printf '{"model":"%s","messages":[{"role":"user","content":"hello"}]}' "$1"; }
conns() { ss -Htn state established "( dport = :$1 )" 2>/dev/null | wc -l; }

declare -A RPS P50 TTFB OK PEAK
for m in plain tls11 tls2; do
  port=$PLAIN; [[ $m != plain ]] && port=$TLS
  BENCH_BODY="$(body m-$m)" "${L[@]}" wrk -t1 -c64 -d"${WARM}s" -s "$HERE/lib/wrk-post.lua" "$URL" >/dev/null 2>&1 || true
  line=$(BENCH_BODY="$(body m-$m)" "${L[@]}" wrk -t1 -c64 -d"${DUR}s" -s "$HERE/lib/wrk-post.lua" "$URL" 2>/dev/null | grep '^BENCH' || echo "BENCH rps=0 p50_ms=0")
  RPS[$m]=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$line"); P50[$m]=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")
  seq_out=$("${L[@]}" node "$HERE/lib/sse-client.js" seq --url "$URL" --model "m-$m" --n 20 --chunks 20 --interval 20 | grep '^SSE ' || echo 'SSE {}')
  TTFB[$m]=$(node -e 'const o=JSON.parse(process.argv[1].slice(4));console.log(o.ttfb_p50_ms ?? "-")' "$seq_out")
  sleep 5 # idle HTTP/1.1 connections of the wrk run close after 4 s
  peak=0
  ( while sleep 0.5; do conns "$port"; done > "$OUT/conns-$m" ) & SAMPLER=$!
  hold_out=$("${L[@]}" node "$HERE/lib/sse-client.js" hold --url "$URL" --model "m-$m" --conns 1000 --chunks 20 --interval 500 --ramp 1000 --timeout 60 | grep '^SSE ' || echo 'SSE {}')
  kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true
  PEAK[$m]=$(sort -n "$OUT/conns-$m" | tail -1)
  OK[$m]=$(node -e 'const o=JSON.parse(process.argv[1].slice(4));console.log((o.ok ?? 0) + "/" + (o.conns ?? 1000))' "$hold_out")
done

echo
echo "| upstream (through the gateway) | max req/s (64 conns) | p50 at max | stream TTFB p50 | 1,000 streams completed | gateway connections to the mock at peak |"
echo "| --- | --- | --- | --- | --- | --- |"
declare -A NAME=([plain]="plain HTTP/1.1" [tls11]="TLS, HTTP/1.1" [tls2]="TLS, HTTP/2 (ALPN)")
for m in plain tls11 tls2; do
  name="${NAME[$m]}"
  echo "| $name | ${RPS[$m]} | ${P50[$m]} ms | ${TTFB[$m]} ms | ${OK[$m]} | ${PEAK[$m]} |"
done
