#!/usr/bin/env bash
# Sourced by test.sh: the console's end-to-end tests drive Debian's chromium through chromedriver. On a fresh machine
# (CI runs as root) install both; without root, say what is missing: the browser tests then fail with the same hint.
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing chromium and chromium-driver for the console's browser tests" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2
  else
    echo "warning: /usr/bin/chromium or /usr/bin/chromedriver is missing and this is not root with apt-get:" \
      "the console's browser tests will fail; install them with: sudo apt-get install -y chromium chromium-driver" >&2
  fi
fi
