#!/usr/bin/env bash
# Rate limits through Redis: what the check of a gateway key's rpm/tpm adds.
#
#   src/bench/ratelimit.sh [--iterations N] [--seconds S] [--phases P] [--clients C] [--warmup W]
#
# Runs RateLimitOverheadTest against a real redis-server on this machine (src/scripts/test-deps.sh installs it):
#  1. latency of one check, timed in-process over N calls after a warm-up: the admit script (EVALSHA, both
#     limits), the charge script, and the in-memory limiter for comparison (p50/p90/p99/max);
#  2. throughput of one real gateway (Redis on, built-in mock provider, so only the gateway and Redis count)
#     with C clients back to back: a key with rpm+tpm checked through Redis beside a key without limits, in P
#     alternating phases of S seconds each after W seconds of warm-up per kind (req/s, p50, p99).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ITERATIONS=100000 SECONDS_=10 PHASES=3 CLIENTS=32 WARMUP=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --iterations) ITERATIONS="$2"; shift 2 ;;
    --seconds) SECONDS_="$2"; shift 2 ;;
    --phases) PHASES="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
source src/scripts/java-home.sh
# the run writes ~100 MB of access and upstream log lines: keep them (and their rotations) out of target/test-logs
LOGS="$(mktemp -d)"
trap 'rm -rf "$LOGS"' EXIT
mvn -B -q test -Dgateway.log.dir="$LOGS" -Dtest=RateLimitOverheadTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dratelimit.iterations="$ITERATIONS" -Dratelimit.seconds="$SECONDS_" -Dratelimit.phases="$PHASES" \
  -Dratelimit.clients="$CLIENTS" -Dratelimit.warmup="$WARMUP" 2>&1 \
  | grep --line-buffered -E '^ratelimit: |Tests run:|FAIL|expected|AssertionFailed' | sed 's/^ratelimit: //'
exit "${PIPESTATUS[0]}"
