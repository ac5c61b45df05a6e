#!/usr/bin/env bash
# The latency floor on this machine, without the gateway: a bare JDK HttpClient against the bench mock, back to back
# and with a pause before each request (lib/IdleWakeProbe.java). If the paused row is far above the back-to-back
# row, the "added" stream time to first event and the low-rate latency of src/bench/run.sh are set by waking idle
# threads on this machine, not by the gateway's code.
#
#   src/bench/idle-probe.sh [requests per phase, default 200] [pause ms, default 50]
#
# The mock runs on cpu 0 and the probe on cpu 1, as in run.sh (BENCH_LOAD_CPU / BENCH_GW_CPU override).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE/../.."
[[ "${1:-}" == -h || "${1:-}" == --help ]] && { sed -n '2,8p' "$0"; exit 0; }
source src/scripts/java-home.sh
RUN="$(mktemp -d /tmp/llmgw-idle-probe.XXXXXX)"
PORT=$(( 20000 + RANDOM % 12000 ))
cleanup() { "$HERE/mock/start-mock.sh" stop "$RUN/mock" >/dev/null 2>&1 || true; rm -rf "$RUN"; }
trap cleanup EXIT
MOCK_CPUS="${BENCH_LOAD_CPU:-0}" "$HERE/mock/start-mock.sh" start "$PORT" "$RUN/mock" >/dev/null
taskset -c "${BENCH_GW_CPU:-1}" "$JAVA_HOME/bin/java" "$HERE/lib/IdleWakeProbe.java" \
  "http://127.0.0.1:$PORT/v1/chat/completions" "${1:-200}" "${2:-50}"
