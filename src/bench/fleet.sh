#!/usr/bin/env bash
# Scale-out: how fast a key cooldown made on one replica reaches another through Redis.
#
#   src/bench/fleet.sh [--rounds N]
#
# Runs CooldownPropagationTest (two real gateways sharing one real redis-server, a WireMock upstream whose
# "limited" key answers 429) for N rounds instead of 10: each round resets the key, sends one request to replica
# one (429 on the key, then the spare provider answers) and waits until replica two sees the key cooling, then
# checks replica two skips the key. Prints p50/p90/p99/max of: cooldown on one -> cooling on two (wall clock,
# 1 ms resolution), request sent -> cooling on two, and the request's own duration. Needs redis-server
# (src/scripts/test-deps.sh installs it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROUNDS=500
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
source src/scripts/java-home.sh
mvn -B -q test -Dtest=CooldownPropagationTest -Dsurefire.failIfNoSpecifiedTests=false -Dfleet.rounds="$ROUNDS" 2>&1 \
  | grep --line-buffered -E '^fleet: |Tests run:|FAIL|expected|AssertionFailed' | sed 's/^fleet: //'
exit "${PIPESTATUS[0]}"
