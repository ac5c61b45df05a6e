#!/usr/bin/env bash
# Sourced by test.sh: what the tests need beyond the JDK and Maven. The console's end-to-end tests drive Debian's
# chromium through chromedriver; the scale-out tests start real redis-server processes on free ports; DockerFilesTest
# checks docker/fleet-nginx.conf with `nginx -t` (skipped, saying so, without nginx). On a fresh
# machine (CI runs as root) install what is missing; without root, say what is missing: those tests then fail with
# the same hint.
missing=()
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || missing+=(chromium chromium-driver)
command -v redis-server >/dev/null || missing+=(redis-server)
[[ -x /usr/sbin/nginx || -x /usr/bin/nginx ]] || missing+=(nginx)
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} for the tests" >&2
    apt-get update -qq >&2
    # the tests start their own redis-server on a free port and nginx only checks a file: keep the packages from
    # starting system services
    policy=/usr/sbin/policy-rc.d
    made_policy=0
    if [[ ! -e $policy ]]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    if [[ $made_policy -eq 1 ]]; then rm -f "$policy"; fi
  else
    echo "warning: ${missing[*]} missing and this is not root with apt-get: the console's browser tests or the" \
      "scale-out tests will fail; install them with: sudo apt-get install -y ${missing[*]}" >&2
  fi
fi
