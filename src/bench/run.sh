#!/usr/bin/env bash
# LLM Gateway Lite benchmark: one command, one markdown table.
#
#   src/bench/run.sh [options]
#
# Starts a fast mock upstream (nginx + lua, cpu 0) and the gateway jar (cpu 1), sends the same
# load straight to the mock ("direct") and through the gateway, and prints one table with the
# gateway/direct comparison.  Everything is on 127.0.0.1, every load step is time-bounded, and
# everything started is stopped on exit (also on Ctrl-C).  See src/bench/README.md.
#
# Measures:
#   (a) non-stream max RPS: wrk, 64 connections, --duration s; p50/p99; ratio gateway/direct
#   (b) latency at a fixed moderate rate (--rate, default 1000 req/s; paced wrk connections):
#       p50/p99 and added latency; serial 1-connection p50/p99
#   (c) streaming: TTFB (first SSE event) over --seq-n sequential streams (20 events 20 ms
#       apart) and whether the events arrive spread out ("incremental")
#   (d) --streams concurrent slow streams (40 chunks x 500 ms, ramped): completed, peak RSS/fds
#   (e) start-to-ready time (launch -> GET /readyz 200), RSS idle after start, after warm-up, 10/30/60 s after the
#       slow streams of (d) ended (memory given back), at end
#   (f) with --logging-cost: (a) for the gateway with default logging, GATEWAY_LOG_BODIES=false,
#       all logging off (a Log4j configuration with every logger off; gateway restarted for each)
#
# Options:
#   --quick               ~2 min run: 5 s wrk runs, 10 seq streams, 1000 slow streams of 20 x 500 ms
#   --skip LIST           comma list of a,b,c,d,e to skip (e = only the RSS/ready rows)
#   --streams "N ..."     concurrent slow-stream counts for (d) (default "1000 5000 10000")
#   --duration S          seconds per wrk run (default 10; --quick 5)
#   --warmup S            seconds of wrk warm-up per gateway start before measuring (default 20; --quick 5)
#   --repeat N            repeat (a)-(c) N times, the table shows the median (default 1)
#   --rate R              target req/s for (b) (default 1000)
#   --seq-n N             sequential streams for (c) (default 20)
#   --hold-chunks N / --hold-interval MS / --ramp N   slow-stream shape for (d) (40 / 500 / 1000 per s)
#   --out DIR             raw outputs (default /tmp/llmgw-bench/<timestamp>)
#   --jar PATH            gateway jar (default target/llm-gateway-lite.jar; built if missing)
#   --rebuild             rebuild the jar even if it exists
#   --gw-url URL          bench an already running gateway instead of starting one (with --gw-pid PID
#                         for RSS); its providers must point at the mock: pass --mock-port too
#   --mock-port P         use this port for the mock (default: a free one)
#   --direct-only         dev mode: no gateway, only the mock directly (and --peer-url if given)
#   --peer-url URL        also bench another gateway with the same load (e.g. Portkey), side by side
#   --peer-header 'K: V'  extra header for peer requests (repeatable); {MOCK} is replaced by the
#                         mock base URL, e.g. --peer-header 'x-portkey-custom-host: {MOCK}/v1'
#   --peer-pid PID        peer process for RSS sampling;  --peer-name NAME  column label
#   --logging-cost        also run (f)
#   -h | --help
# Env:
#   JAVA_HOME             used if it is a JDK 21+, else the newest /usr/lib/jvm/* that is 21+
#   BENCH_JAVA_OPTS       JVM options for the gateway (default below: $DEFAULT_JAVA_OPTS)
#   BENCH_AOT             1 (default) on a JDK 25+: first a short training run writes an AOT cache
#                         (-XX:AOTCacheOutput, JEP 514/515), then the measured gateway starts with
#                         -XX:AOTCache (classes pre-linked, method profiles known: faster start and warm-up).
#                         0 disables it. The row "JVM opts" in the output says which was used.
#   BENCH_GW_ENV          extra env for the gateway, space separated K=V (e.g. "GATEWAY_LOG_BODIES=false")
#   BENCH_GW_KEY          client key the bench sends to the gateway (default sk-bench-gw; written
#                         to the bench config's gateway_keys.yaml)
#   BENCH_LOAD_CPU / BENCH_GW_CPU   cpu for mock+load / gateway (default 0 / 1)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

DEFAULT_JAVA_OPTS="-XX:+UseG1GC -Xms32m -XX:GCTimeRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=15000 -XX:-G1PeriodicGCInvokesConcurrent -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=10000 -Xmx1g -XX:+ExitOnOutOfMemoryError"
JAVA_OPTS_STR="${BENCH_JAVA_OPTS-$DEFAULT_JAVA_OPTS}"
LOAD_CPU="${BENCH_LOAD_CPU:-0}"; GW_CPU="${BENCH_GW_CPU:-1}"
GW_KEY="${BENCH_GW_KEY:-sk-bench-gw}"
QUICK=0; SKIP=""; STREAMS=""; DURATION=""; REPEAT=1; RATE=1000; SEQ_N=""; HOLD_CHUNKS=""; HOLD_INTERVAL=500
RAMP=1000; WARM_S=""; OUT=""; JAR="target/llm-gateway-lite.jar"; REBUILD=0; GW_URL=""; GW_PID_EXT=""; MOCK_PORT=""
DIRECT_ONLY=0; PEER_URL=""; PEER_H=(); PEER_PID=""; PEER_NAME="peer"; LOGCOST=0
CONNS=64; RATE_CONNS=50
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --skip) SKIP="$2"; shift 2 ;;
    --streams) STREAMS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --warmup) WARM_S="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --seq-n) SEQ_N="$2"; shift 2 ;;
    --hold-chunks) HOLD_CHUNKS="$2"; shift 2 ;;
    --hold-interval) HOLD_INTERVAL="$2"; shift 2 ;;
    --ramp) RAMP="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --rebuild) REBUILD=1; shift ;;
    --gw-url) GW_URL="${2%/}"; shift 2 ;;
    --gw-pid) GW_PID_EXT="$2"; shift 2 ;;
    --mock-port) MOCK_PORT="$2"; shift 2 ;;
    --direct-only) DIRECT_ONLY=1; shift ;;
    --peer-url) PEER_URL="${2%/}"; shift 2 ;;
    --peer-header) PEER_H+=("$2"); shift 2 ;;
    --peer-pid) PEER_PID="$2"; shift 2 ;;
    --peer-name) PEER_NAME="$2"; shift 2 ;;
    --logging-cost) LOGCOST=1; shift ;;
    -h|--help) awk 'NR>1 && /^#/ {sub(/^# ?/, ""); print; next} NR>1 {exit}' "$0" | sed "s|\$DEFAULT_JAVA_OPTS|$DEFAULT_JAVA_OPTS|"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [[ $QUICK == 1 ]]; then
  DURATION="${DURATION:-5}"; SEQ_N="${SEQ_N:-10}"; STREAMS="${STREAMS:-1000}"; HOLD_CHUNKS="${HOLD_CHUNKS:-20}"; WARM_S="${WARM_S:-5}"
else
  DURATION="${DURATION:-10}"; SEQ_N="${SEQ_N:-20}"; STREAMS="${STREAMS:-1000 5000 10000}"; HOLD_CHUNKS="${HOLD_CHUNKS:-40}"; WARM_S="${WARM_S:-40}"
fi
skip() { [[ ",$SKIP," == *",$1,"* ]]; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }
now_ms() { local t="${EPOCHREALTIME/[.,]/}"; echo $(( t / 1000 )); }

# ---- prerequisites ----------------------------------------------------------------------------
MISSING=()
command -v wrk >/dev/null || MISSING+=(wrk)
command -v nginx >/dev/null || MISSING+=(nginx-light)
[[ -f /usr/lib/nginx/modules/ngx_http_lua_module.so ]] || MISSING+=(libnginx-mod-http-lua)
[[ -e /usr/lib/x86_64-linux-gnu/lua/5.1/cjson.so || -n "$(ls /usr/lib/*/lua/5.1/cjson.so 2>/dev/null)" ]] || MISSING+=(lua-cjson)
command -v curl >/dev/null || MISSING+=(curl)
command -v taskset >/dev/null || MISSING+=(util-linux)
command -v ps >/dev/null || MISSING+=(procps)
command -v ss >/dev/null || MISSING+=(iproute2)
if [[ ${#MISSING[@]} -gt 0 ]]; then
  echo "missing packages; install them with:" >&2
  echo "  apt-get update && apt-get install -y ${MISSING[*]}" >&2
  echo "(do not also install the 'luajit' package: it conflicts with the nginx lua module)" >&2
  exit 1
fi
NODE="$(command -v node || command -v nodejs || true)"
[[ -n "$NODE" ]] || die "node (>= 18) not found: apt-get install -y nodejs"

java_major() { # $1 java binary -> major version or 0
  local v; v=$("$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}') || true
  [[ -n "$v" ]] || { echo 0; return; }
  [[ "$v" == 1.* ]] && v="${v#1.}"
  echo "${v%%[.+-]*}"
}
find_jdk() { # prints a JDK home with java >= 21
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && $(java_major "$JAVA_HOME/bin/java") -ge 21 ]]; then echo "$JAVA_HOME"; return; fi
  local best="" bestv=0 d v
  for d in /usr/lib/jvm/*; do
    [[ -x "$d/bin/java" && ! -L "$d" ]] || continue
    v=$(java_major "$d/bin/java"); [[ "$v" =~ ^[0-9]+$ ]] || continue
    if (( v >= 21 && v > bestv )); then best="$d"; bestv=$v; fi
  done
  [[ -n "$best" ]] && echo "$best"
}

# ---- output dir, limits, cleanup ---------------------------------------------------------------
OUT="${OUT:-/tmp/llmgw-bench/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
RES="$OUT/results.jsonl"; : > "$RES"
MEMF="$OUT/mem.tsv"; : > "$MEMF"       # sampler: epoch_ms target rss_kb fds threads
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE="$(ulimit -n)"
LT=(taskset -c "$LOAD_CPU")

MOCK_PID=""; GW_PID=""; SAMPLER_PID=""; CHILD_PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  for p in "${CHILD_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_gateway quiet || true
  [[ -n "$MOCK_PID" ]] && "$HERE/mock/start-mock.sh" stop "$OUT/mock" >/dev/null 2>&1 || true
  [[ $rc -ne 0 ]] && echo "run.sh: stopped (exit $rc); raw outputs in $OUT" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  local p
  for _ in $(seq 200); do
    p=$(( 20000 + RANDOM % 12000 ))
    ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
  done
  return 1
}

# ---- JSON helpers --------------------------------------------------------------------------------
record() { echo "$1" >> "$RES"; }
jstr() { local s="$1"; s="${s//\\/\\\\}"; s="${s//\"/\\\"}"; s="${s//$'\n'/ }"; printf '"%s"' "$s"; }

# ---- memory/fd sampler (one background loop for the whole run, on the load cpu) ----------------
sampler() {
  taskset -cp "$LOAD_CPU" $BASHPID >/dev/null 2>&1 || true
  local pid t r
  while :; do
    for t in gw peer; do
      pid=$(cat "$OUT/.$t.pid" 2>/dev/null || true)
      [[ -n "$pid" && -r /proc/$pid/status ]] || continue
      r=$(awk '/^VmRSS:/{r=$2} /^Threads:/{t=$2} END{print r+0, t+0}' /proc/$pid/status 2>/dev/null) || continue
      set -- $r
      echo "$(now_ms) $t $1 $(ls -U /proc/$pid/fd 2>/dev/null | wc -l) $2" >> "$MEMF"
    done
    sleep 0.5
  done
}
peak() { # target t0 t1 -> "rss_kb fds threads" (max over samples in the window)
  awk -v tg="$1" -v a="$2" -v b="$3" '$2==tg && $1>=a && $1<=b {if($3>r)r=$3; if($4>f)f=$4; if($5>t)t=$5} END{print r+0, f+0, t+0}' "$MEMF"
}
rss_now() { # pid -> rss kb
  awk '/^VmRSS:/{print $2; f=1} END{if(!f)print 0}' "/proc/$1/status" 2>/dev/null || echo 0
}

# ---- mock ---------------------------------------------------------------------------------------
MOCK_PORT="${MOCK_PORT:-$(free_port)}"
MOCK="http://127.0.0.1:$MOCK_PORT"
log "starting mock on $MOCK (nginx+lua, cpu $LOAD_CPU)"
MOCK_PID=$(MOCK_CPUS="$LOAD_CPU" "$HERE/mock/start-mock.sh" start "$MOCK_PORT" "$OUT/mock") || die "mock did not start"

# ---- gateway --------------------------------------------------------------------------------------
JDK=""; JAVA=""; GW=""; JAVA_VER=""; JAR_SRC=""
HAVE_GW=0; [[ $DIRECT_ONLY == 0 ]] && HAVE_GW=1
CFG="$OUT/gw-config"
write_config() {
  mkdir -p "$CFG" "$OUT/gw-logs"
  cat > "$CFG/providers.yaml" <<YAML
version: 1
providers:
  mock:
    type: openai_compat
    base_url: "$MOCK"
    endpoints:
      chat_completions: "/v1/chat/completions"
      embeddings: "/v1/embeddings"
    keys:
      - id: "bench-key-1"
        value: "sk-bench-1"
    timeout_ms: 60000
    max_connections: 20000   # (d) holds up to 10,000 HTTP/1.1 streams at once; the default bound is 1024
YAML
  cat > "$CFG/models.yaml" <<YAML
version: 1
models:
  gpt-4o-mini:
    aliases: ["gpt-4o-mini"]
    provider_map:
      mock: "gpt-4o-mini"
  text-embedding-3-small:
    aliases: ["text-embedding-3-small"]
    provider_map:
      mock: "text-embedding-3-small"
YAML
  cat > "$CFG/gateway_keys.yaml" <<YAML
version: 1
gateway_keys:
  - key_id: "bench"
    key: "$GW_KEY"
    tenant_id: "bench"
    enabled: true
    description: "src/bench/run.sh"
YAML
}
GW_PORT=""; GW_LABEL=""; READY_MS=""; GW_ENV_NOW=()
start_gateway() { # label extra-env... ; sets GW_PID GW READY_MS
  GW_LABEL="$1"; shift
  GW_PORT=$(free_port); GW="http://127.0.0.1:$GW_PORT"
  local envs=(GATEWAY_HOST=127.0.0.1 GATEWAY_PORT="$GW_PORT" GATEWAY_CONFIG_DIR="$CFG" GATEWAY_LOG_DIR="$OUT/gw-logs/$GW_LABEL")
  # shellcheck disable=SC2206
  local extra=(${BENCH_GW_ENV:-}) jopts=($JAVA_OPTS_STR)
  envs+=("${extra[@]}" "$@"); GW_ENV_NOW=("${extra[@]}" "$@")
  mkdir -p "$OUT/gw-logs/$GW_LABEL"
  log "starting gateway [$GW_LABEL] on $GW (cpu $GW_CPU): $JAVA ${jopts[*]} -jar $JAR ${GW_ENV_NOW[*]}"
  local t0 t1 code=000
  t0=$(now_ms)
  env "${envs[@]}" taskset -c "$GW_CPU" "$JAVA" "${jopts[@]}" -jar "$JAR" \
    > "$OUT/gateway-$GW_LABEL.out" 2>&1 < /dev/null &
  GW_PID=$!
  echo "$GW_PID" > "$OUT/.gw.pid"
  local deadline=$(( t0 + 90000 ))
  while (( $(now_ms) < deadline )); do
    code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "$GW/readyz" 2>/dev/null || true)
    [[ "$code" == 200 ]] && break
    kill -0 "$GW_PID" 2>/dev/null || break
    sleep 0.01
  done
  t1=$(now_ms)
  if [[ "$code" != 200 ]]; then
    tail -n 40 "$OUT/gateway-$GW_LABEL.out" >&2 || true
    die "gateway [$GW_LABEL] not ready (last /readyz status $code); log: $OUT/gateway-$GW_LABEL.out"
  fi
  READY_MS=$(( t1 - t0 ))
  log "gateway [$GW_LABEL] ready in ${READY_MS} ms (pid $GW_PID)"
}
stop_gateway() { # [quiet]
  [[ -n "$GW_PID" ]] || return 0
  local pid="$GW_PID" t0; GW_PID=""; rm -f "$OUT/.gw.pid"
  t0=$(now_ms)
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    [[ "${1:-}" == quiet ]] || log "gateway did not stop within 15 s of SIGTERM; killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  [[ "${1:-}" == quiet ]] || log "gateway [$GW_LABEL] stopped in $(( $(now_ms) - t0 )) ms"
}

java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }
train_aot() { # training run: the JVM writes the AOT cache when it exits after this load
  local aot="$OUT/gateway.aot" saved="$JAVA_OPTS_STR"
  JAVA_OPTS_STR="$saved -XX:AOTCacheOutput=$aot"
  start_gateway aot-training
  log "AOT training: 15 s of load plus a few streams"
  BENCH_BODY="$BODY_FOR_TRAINING" taskset -c "$LOAD_CPU" wrk -t1 -c32 -d15s -s "$HERE/lib/wrk-post.lua" \
    -H "Authorization: Bearer $GW_KEY" "$GW/v1/chat/completions" > "$OUT/aot-training-wrk.txt" 2>&1 || true
  for _ in 1 2 3; do
    curl -s -m 5 -N "$GW/v1/chat/completions" -H 'Content-Type: application/json' \
      -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"mock:chunks=5,interval=1"}]}' > /dev/null || true
  done
  stop_gateway
  JAVA_OPTS_STR="$saved"
  if [[ -s "$aot" ]]; then
    JAVA_OPTS_STR="$saved -XX:AOTCache=$aot"
  else
    log "AOT cache not written (see $OUT/gateway-aot-training.out); continuing without it"
  fi
}
BODY_FOR_TRAINING='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}'

if [[ $HAVE_GW == 1 && -z "$GW_URL" ]]; then
  JDK="$(find_jdk)" || true
  [[ -n "$JDK" ]] || die "no JDK 21+ found (set JAVA_HOME, or install one under /usr/lib/jvm)"
  JAVA="$JDK/bin/java"
  JAVA_VER="$("$JAVA" -version 2>&1 | head -1)"
  if [[ ! -f "$JAR" || $REBUILD == 1 ]]; then
    command -v mvn >/dev/null || die "mvn not found (apt-get install -y maven) and $JAR is missing"
    log "building $JAR with $JDK (mvn -B -q -DskipTests package)"
    JAVA_HOME="$JDK" mvn -B -q -DskipTests package > "$OUT/build.log" 2>&1 || { tail -n 40 "$OUT/build.log" >&2; die "build failed; see $OUT/build.log"; }
  fi
  [[ -f "$JAR" ]] || die "$JAR not found after build"
  # run a private copy: a rebuild (mvn clean) of target/ during the run cannot pull the jar away
  cp "$JAR" "$OUT/gateway-under-test.jar"; JAR_SRC="$JAR"; JAR="$OUT/gateway-under-test.jar"
  write_config
  if [[ -z "${BENCH_JAVA_OPTS+x}" && "$(java_major "$JAVA")" -ge 25 ]]; then
    JAVA_OPTS_STR="$JAVA_OPTS_STR -XX:+UseCompactObjectHeaders" # JEP 519: ~10% less RSS with 5,000 streams open
  fi
  if [[ "${BENCH_AOT:-1}" == 1 && "$(java_major "$JAVA")" -ge 25 ]]; then
    train_aot
  fi
  start_gateway default
elif [[ -n "$GW_URL" ]]; then
  GW="$GW_URL"; GW_LABEL="external"
  [[ -n "$GW_PID_EXT" ]] && { GW_PID_EXTERNAL="$GW_PID_EXT"; echo "$GW_PID_EXT" > "$OUT/.gw.pid"; }
fi
[[ -n "$PEER_PID" ]] && echo "$PEER_PID" > "$OUT/.peer.pid"
sampler & SAMPLER_PID=$!

# ---- headers ---------------------------------------------------------------------------------------
PATHP=/v1/chat/completions
MODEL=gpt-4o-mini
BODY="{\"model\":\"$MODEL\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":16}"
declare -A BASE HDRS
BASE[direct]="$MOCK"; HDRS[direct]="Authorization: Bearer sk-mock"
TARGETS=(direct)
if [[ $HAVE_GW == 1 ]]; then TARGETS+=(gw); BASE[gw]="$GW"; HDRS[gw]="Authorization: Bearer $GW_KEY"; fi
if [[ -n "$PEER_URL" ]]; then
  TARGETS+=(peer); BASE[peer]="$PEER_URL"; HDRS[peer]=""
  for h in "${PEER_H[@]}"; do HDRS[peer]+="${h//\{MOCK\}/$MOCK}"$'\n'; done
fi
hdr_args() { # target flag -> prints NUL-separated "flag" "header" pairs
  local line
  while IFS= read -r line; do [[ -n "$line" ]] && printf '%s\0%s\0' "$2" "$line"; done <<< "${HDRS[$1]}"
}

# ---- preflight --------------------------------------------------------------------------------------
preflight() { # target
  local t="$1" base="${BASE[$1]}" code body H=()
  mapfile -d '' H < <(hdr_args "$t" -H)
  body=$(curl -sS -m 10 -o - -w '\n%{http_code}' -X POST "$base$PATHP" -H 'Content-Type: application/json' "${H[@]}" -d "$BODY" 2>&1) || true
  code="${body##*$'\n'}"; body="${body%$'\n'*}"
  [[ "$code" == 200 && "$body" == *chat.completion* ]] || die "preflight $t non-stream $base$PATHP: HTTP $code: ${body:0:300}"
  body=$(curl -sS -m 10 -N -X POST "$base$PATHP" -H 'Content-Type: application/json' "${H[@]}" \
    -d "{\"model\":\"$MODEL\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"mock:chunks=3,interval=10\"}]}" 2>&1) || true
  [[ "$body" == *"[DONE]"* ]] || die "preflight $t stream: ${body:0:300}"
  code=$(curl -s -m 10 -o "$OUT/preflight-embeddings-$t.json" -w '%{http_code}' -X POST "$base/v1/embeddings" \
    -H 'Content-Type: application/json' "${H[@]}" -d '{"model":"text-embedding-3-small","input":"hello"}' 2>/dev/null) || true
  record "{\"kind\":\"preflight\",\"target\":\"$t\",\"embeddings_status\":\"$code\"}"
  log "preflight $t ok (embeddings HTTP $code)"
}
for t in "${TARGETS[@]}"; do preflight "$t"; done

# ---- measurement primitives --------------------------------------------------------------------
# wrk_run tag target run conns delay_ms duration
wrk_run() {
  local tag="$1" t="$2" run="$3" c="$4" dly="$5" dur="$6" H=() f t0 t1 line kv pk
  mapfile -d '' H < <(hdr_args "$t" -H)
  f="$OUT/wrk-$tag-$t-$run.txt"
  t0=$(now_ms)
  BENCH_BODY="$BODY" BENCH_DELAY_MS="$dly" timeout --foreground -k 5 $(( dur + 30 )) "${LT[@]}" wrk -t1 -c"$c" -d"${dur}s" --timeout 10s \
    -s "$HERE/lib/wrk-post.lua" "${H[@]}" "${BASE[$t]}$PATHP" > "$f" 2>&1 || true
  t1=$(now_ms)
  line=$(grep '^BENCH ' "$f" | tail -1 || true)
  [[ -n "$line" ]] || { log "wrk produced no result, see $f"; line="BENCH reqs=0"; }
  kv=$(echo "${line#BENCH }" | awk '{for(i=1;i<=NF;i++){split($i,a,"=");printf ",\"%s\":%s",a[1],a[2]}}')
  pk=$(peak "$t" "$t0" "$t1")
  record "{\"kind\":\"wrk\",\"tag\":\"$tag\",\"target\":\"$t\",\"label\":\"${WRK_LABEL:-}\",\"run\":$run,\"conns\":$c,\"delay_ms\":$dly,\"peak_rss_kb\":$(cut -d' ' -f1 <<<"$pk"),\"peak_fds\":$(cut -d' ' -f2 <<<"$pk")$kv}"
  log "wrk $tag $t ${WRK_LABEL:-} run$run: ${line#BENCH }"
  sleep 1
}
listen_overflows() { awk '/^TcpExt:/ { if (!h) { for (i=1;i<=NF;i++) if ($i=="ListenOverflows") c=i; h=1 } else print $c }' /proc/net/netstat 2>/dev/null || echo 0; }
# sse_run mode target run tag args...
sse_run() {
  local mode="$1" t="$2" run="$3" tag="$4"; shift 4
  local H=() f t0 t1 js pk lo0 lo bound
  mapfile -d '' H < <(hdr_args "$t" -H)
  f="$OUT/sse-$tag-$t-$run.txt"
  lo0=$(listen_overflows); t0=$(now_ms)
  bound=${SSE_BOUND:-120}
  timeout --foreground -k 5 "$bound" "${LT[@]}" "$NODE" "$HERE/lib/sse-client.js" "$mode" --url "${BASE[$t]}$PATHP" --model "$MODEL" "$@" "${H[@]}" > "$f" 2>&1 || true
  t1=$(now_ms); lo=$(( $(listen_overflows) - lo0 ))
  js=$(grep '^SSE ' "$f" | tail -1 | cut -c5- || true)
  [[ -n "$js" ]] || { log "sse client produced no result, see $f"; js='{"error":"no result"}'; }
  pk=$(peak "$t" "$t0" "$t1")
  record "{\"kind\":\"sse\",\"tag\":\"$tag\",\"target\":\"$t\",\"run\":$run,\"peak_rss_kb\":$(cut -d' ' -f1 <<<"$pk"),\"peak_fds\":$(cut -d' ' -f2 <<<"$pk"),\"peak_threads\":$(cut -d' ' -f3 <<<"$pk"),\"listen_overflows\":$lo,\"r\":$js}"
  log "sse $tag $t run$run: ${js:0:400}"
  sleep 1
}
rss_mark() { # name : RSS of gateway and peer now
  local g=0 p=0
  [[ -s "$OUT/.gw.pid" ]] && g=$(rss_now "$(cat "$OUT/.gw.pid")")
  [[ -n "$PEER_PID" ]] && p=$(rss_now "$PEER_PID")
  record "{\"kind\":\"rss\",\"name\":\"$1\",\"gw_kb\":${g:-0},\"peer_kb\":${p:-0}}"
  log "RSS $1: gateway ${g} KB${PEER_PID:+, peer $p KB}"
}

# ---- meta -------------------------------------------------------------------------------------------
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)
record "{\"kind\":\"meta\",\"date\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"git\":\"$GIT_REV\",\"jar\":$(jstr "${JAR_SRC:-$JAR}"),\"java\":$(jstr "$JAVA_VER"),\"java_opts\":$(jstr "$JAVA_OPTS_STR"),\"gw_env\":$(jstr "${BENCH_GW_ENV:-}"),\"gw\":$(jstr "$GW"),\"mock\":\"$MOCK\",\"peer\":$(jstr "$PEER_URL"),\"peer_name\":$(jstr "$PEER_NAME"),\"load_cpu\":\"$LOAD_CPU\",\"gw_cpu\":\"$GW_CPU\",\"nofile\":\"$NOFILE\",\"duration\":$DURATION,\"conns\":$CONNS,\"rate\":$RATE,\"rate_conns\":$RATE_CONNS,\"seq_n\":$SEQ_N,\"hold_chunks\":$HOLD_CHUNKS,\"hold_interval\":$HOLD_INTERVAL,\"ramp\":$RAMP,\"repeat\":$REPEAT,\"quick\":$QUICK,\"have_gw\":$HAVE_GW,\"started_gw\":$([[ -n "$JAVA" ]] && echo 1 || echo 0),\"nproc\":$(nproc)}"
record "{\"kind\":\"load\",\"when\":\"start\",\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
[[ -n "$READY_MS" ]] && record "{\"kind\":\"ready\",\"label\":\"default\",\"ms\":$READY_MS}"
rss_mark idle_after_start

# ---- warm-up (not recorded) -----------------------------------------------------------------------
warm_up() { # target
  local t="$1" H=()
  mapfile -d '' H < <(hdr_args "$t" -H)
  log "warm-up $t ${WARM_S}s (wrk 64 conns + 20 short streams)"
  BENCH_BODY="$BODY" timeout --foreground -k 5 $(( WARM_S + 20 )) "${LT[@]}" wrk -t1 -c64 -d"${WARM_S}s" -s "$HERE/lib/wrk-post.lua" "${H[@]}" "${BASE[$t]}$PATHP" >/dev/null 2>&1 || true
  timeout --foreground -k 5 60 "${LT[@]}" "$NODE" "$HERE/lib/sse-client.js" seq --url "${BASE[$t]}$PATHP" --n 20 --chunks 5 --interval 1 "${H[@]}" >/dev/null 2>&1 || true
  sleep 1
}
for t in "${TARGETS[@]}"; do [[ $t == direct ]] || warm_up "$t"; done
rss_mark idle_after_warmup

DELAY=$(( RATE_CONNS * 1000 / RATE ))   # wrk-post.lua draws each pause from [DELAY/2, 3*DELAY/2]
for run in $(seq 1 "$REPEAT"); do
  if ! skip a; then
    for t in "${TARGETS[@]}"; do wrk_run max "$t" "$run" "$CONNS" 0 "$DURATION"; done
  fi
  if ! skip b; then
    for t in "${TARGETS[@]}"; do wrk_run rate "$t" "$run" "$RATE_CONNS" "$DELAY" "$DURATION"; done
    for t in "${TARGETS[@]}"; do wrk_run serial "$t" "$run" 1 0 "$DURATION"; done
  fi
  if ! skip c; then
    for t in "${TARGETS[@]}"; do
      SSE_BOUND=$(( SEQ_N * 12 + 30 )) sse_run seq "$t" "$run" seq --n "$SEQ_N" --chunks 20 --interval 20 --timeout 10
    done
    for t in "${TARGETS[@]}"; do   # TTFB with busy ("warm") CPUs: 20 x 1 ms streams back to back
      SSE_BOUND=$(( SEQ_N * 12 + 30 )) sse_run seq "$t" "$run" seqwarm --n "$SEQ_N" --chunks 20 --interval 1 --timeout 10
    done
  fi
done
# (d) last: thousands of slow streams may leave a gateway degraded for a while
if ! skip d; then
  for n in $STREAMS; do
    to=$(( HOLD_CHUNKS * HOLD_INTERVAL / 1000 + 30 ))
    for t in "${TARGETS[@]}"; do
      SSE_BOUND=$(( HOLD_CHUNKS * HOLD_INTERVAL / 1000 + n / RAMP + to + 30 )) \
        sse_run hold "$t" 1 "hold-$n" --conns "$n" --chunks "$HOLD_CHUNKS" --interval "$HOLD_INTERVAL" --ramp "$RAMP" --timeout "$to"
      sleep 2
    done
  done
  # memory given back: RSS 10, 30 and 60 s after the last slow streams ended, the gateway idle meanwhile
  t_end=$(now_ms)
  for s in 10 30 60; do
    while (( $(now_ms) - t_end < s * 1000 )); do sleep 0.5; done
    rss_mark "after_streams_${s}s"
  done
fi
sleep 2
rss_mark after_all
record "{\"kind\":\"load\",\"when\":\"end\",\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}"

# ---- (f) logging cost ---------------------------------------------------------------------------------
if [[ $LOGCOST == 1 && -n "$JAVA" ]]; then
  log "(f) logging cost: max RPS with the gateway restarted per logging variant"
  # "logging off" swaps in a Log4j configuration with every logger off: the cost of all four logs together
  printf '<Configuration status="warn"><Loggers><Root level="off"/></Loggers></Configuration>\n' > "$OUT/log4j2-off.xml"
  saved_opts="$JAVA_OPTS_STR"
  for variant in "default" "GATEWAY_LOG_BODIES=false" "logging off"; do
    stop_gateway
    lbl="f-$(echo "$variant" | tr ' =' '__' | tr 'A-Z' 'a-z')"
    JAVA_OPTS_STR="$saved_opts"
    # shellcheck disable=SC2086
    case "$variant" in
      default) start_gateway "$lbl" ;;
      "logging off") JAVA_OPTS_STR="$saved_opts -Dlog4j2.configurationFile=$OUT/log4j2-off.xml"; start_gateway "$lbl" ;;
      *) start_gateway "$lbl" $variant ;;
    esac
    JAVA_OPTS_STR="$saved_opts"
    BASE[gw]="$GW"
    warm_up gw
    WRK_LABEL="$variant" wrk_run logmax gw 1 "$CONNS" 0 "$DURATION"
    logbytes=$(du -sb "$OUT/gw-logs/$lbl" 2>/dev/null | cut -f1)
    record "{\"kind\":\"logsize\",\"label\":$(jstr "$variant"),\"bytes\":${logbytes:-0}}"
  done
fi

# ---- stop, scan the gateway's own output for errors, report ----------------------------------------
if [[ -n "$JAVA" ]]; then
  stop_gateway
  errs=$(cat "$OUT"/gateway-*.out 2>/dev/null | grep -c -E 'Exception|ERROR|WARN' || true)
  logerrs=$(find "$OUT/gw-logs" -type f -name '*.log*' -print0 2>/dev/null | xargs -0 -r cat 2>/dev/null | grep -c -E ' ERROR |Exception' || true)
  logbytes=$(du -sb "$OUT/gw-logs" 2>/dev/null | cut -f1)
  record "{\"kind\":\"gwlog\",\"stdout_warn_error_lines\":${errs:-0},\"logfile_error_lines\":${logerrs:-0},\"log_bytes\":${logbytes:-0}}"
fi
kill "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
"$NODE" "$HERE/lib/report.js" "$RES" | tee "$OUT/summary.md"
log "raw outputs in $OUT (results.jsonl, wrk-*.txt, sse-*.txt, mem.tsv, gateway-*.out, gw-logs/)"
