#!/usr/bin/env bash
# Runs the whole test suite (unit + integration: real embedded gateway, in-process upstreams on port 0, the console
# in a real headless Chromium) and builds the jar and the WAR. Finds a JDK 21+ by itself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source src/scripts/java-home.sh
echo "using JDK at $JAVA_HOME" >&2
source src/scripts/test-deps.sh
exec mvn -B verify "$@"
