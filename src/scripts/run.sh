#!/usr/bin/env bash
# Starts the gateway on the bundled configs/ (offline: the built-in mock provider answers the `demo` model).
# Builds target/llm-gateway-lite.jar first when it is missing or older than the sources. Settings: GATEWAY_* env vars.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source src/scripts/java-home.sh
JAR=target/llm-gateway-lite.jar
if [[ ! -f "$JAR" || -n "$(find pom.xml src/main webapp -newer "$JAR" -type f -print -quit 2>/dev/null)" ]]; then
  echo "building $JAR with $JAVA_HOME ..." >&2
  mvn -B -q -DskipTests package
fi
# G1 that gives memory back: a small start heap, growth held back (GCTimeRatio=4: up to 20 percent of the time in GC
# before the heap grows), at most 30 percent free after a collection, and a full collection after 15 s without any, so
# that after a peak of open streams the heap shrinks and Jetty's dropped direct buffers are freed; glibc keeps freed
# native memory in its arenas, so the JVM trims the native heap every 10 s (experimental before JDK 22, hence the
# unlock) (README, "Memory").
DEFAULT_OPTS="-XX:+UseG1GC -Xms32m -XX:GCTimeRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=15000 -XX:-G1PeriodicGCInvokesConcurrent -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=10000 -XX:+ExitOnOutOfMemoryError"
# JDK 25+: compact object headers (JEP 519) take ~10% off the memory of thousands of open streams
[[ "$(java_major "$JAVA_HOME/bin/java")" -ge 25 ]] && DEFAULT_OPTS="$DEFAULT_OPTS -XX:+UseCompactObjectHeaders"
exec java ${JAVA_OPTS:-$DEFAULT_OPTS} -jar "$JAR" "$@"
