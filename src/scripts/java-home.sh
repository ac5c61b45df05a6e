# Sourced by the project's scripts: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: $JAVA_HOME if it is 21+, then the newest JDK 21+ under /usr/lib/jvm, then `java` on the PATH.
java_major() { # $1 = java binary; prints the feature version (17, 21, 25, ...)
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
find_jdk() {
  local candidate major
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]]; then
    major=$(java_major "$JAVA_HOME/bin/java")
    if [[ "${major:-0}" -ge 21 ]]; then echo "$JAVA_HOME"; return 0; fi
  fi
  local best="" best_major=0
  for candidate in /usr/lib/jvm/*; do
    [[ -x "$candidate/bin/javac" ]] || continue
    major=$(java_major "$candidate/bin/java")
    if [[ "${major:-0}" -ge 21 && "$major" -gt "$best_major" ]]; then best="$candidate"; best_major="$major"; fi
  done
  if [[ -n "$best" ]]; then echo "$best"; return 0; fi
  if command -v javac >/dev/null; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(java_major "$candidate/bin/java")
    if [[ "${major:-0}" -ge 21 ]]; then echo "$candidate"; return 0; fi
  fi
  return 1
}
if ! JAVA_HOME=$(find_jdk); then
  echo "No JDK 21 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/*, the PATH). Install one, e.g. apt-get install openjdk-21-jdk-headless" >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
