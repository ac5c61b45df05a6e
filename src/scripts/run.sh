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
exec java ${JAVA_OPTS:--XX:+UseSerialGC -Xms128m -Xmn64m -XX:+ExitOnOutOfMemoryError} -jar "$JAR" "$@"
