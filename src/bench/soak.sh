#!/usr/bin/env bash
# Chaos soak: the availability promise under partial faults, for longer than the test suite runs it.
#
#   src/bench/soak.sh [--duration S] [--rate R] [--clients N] [--seed N]
#
# Runs the scenarios of ChaosSoakTest (3 fake providers x 2 keys in-process on 127.0.0.1, the real gateway, every
# upstream attempt failing at random with a seeded mix of faults) for S seconds each instead of 3:
#   provider faults 20% and 30% (500, 503, connection dropped, hang past timeout_ms, stream dying after 2 events),
#   429s mixed in with the breaker on, off, and with the key wait off; and two replicas behind round robin with the
#   429 mix, sharing cooldowns and breaker evidence through a real redis-server vs each on its own (FleetSoakTest).
# Prints one line per run (share of 200s, statuses, slowest request, rule violations) and fails if a rule is broken.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DURATION=60; RATE=100; CLIENTS=50; SEED=20261204
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
source src/scripts/java-home.sh
mvn -B -q test -Dtest=ChaosSoakTest,FleetSoakTest -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.seconds="$DURATION" \
  -Dsoak.rate="$RATE" -Dsoak.clients="$CLIENTS" -Dsoak.seed="$SEED" -Dsoak.compareWait=true 2>&1 \
  | grep --line-buffered -E '^soak: |Tests run:|FAIL|expected|AssertionFailed' | sed 's/^soak: //'
exit "${PIPESTATUS[0]}"
