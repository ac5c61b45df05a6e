#!/usr/bin/env bash
# Container health check for LLM Gateway Lite: exits 0 when
#   GET http://127.0.0.1:${GATEWAY_PORT}${HEALTHCHECK_PATH}
# answers with a 2xx status, 1 otherwise. Uses curl when the image has it, else bash's /dev/tcp.
set -u

port="${GATEWAY_PORT:-13030}"
path="${HEALTHCHECK_PATH:-/healthz}"

if command -v curl >/dev/null 2>&1; then
  # Docker reads exit 1 as unhealthy and reserves 2, so curl's own codes are folded into 1.
  curl --fail --silent --show-error --output /dev/null --max-time 4 "http://127.0.0.1:${port}${path}" || exit 1
  exit 0
fi

exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
IFS= read -r -t 4 status_line <&3 || exit 1
case "$status_line" in
  HTTP/*" 2"[0-9][0-9]*) exit 0 ;;
  *) echo "unhealthy: ${status_line%$'\r'}" >&2; exit 1 ;;
esac
