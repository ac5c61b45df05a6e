#!/usr/bin/env bash
# Start / stop the mock OpenAI-compatible upstream used by src/bench/run.sh (Debian nginx + lua module).
#   start-mock.sh start PORT RUNDIR   -> prints the nginx master PID
#   start-mock.sh stop  RUNDIR
# Env: MOCK_CPUS    cpu list for taskset (default 0; empty = no pinning)
#      MOCK_WORKERS nginx worker processes (default 1)
#      MOCK_TLS_PORT, MOCK_TLS_CERT, MOCK_TLS_KEY  also serve the same endpoints over TLS on that port, offering
#                   h2 and http/1.1 by ALPN (used by tls.sh)
# Endpoints: POST /v1/chat/completions (JSON, or SSE when the body has "stream": true; the shape is
# set by "mock:chunks=N,interval=MS" anywhere in the body, default 20 chunks 20 ms apart),
# POST /v1/embeddings, GET /v1/models (fixed JSON), GET /healthz.  Any Authorization is accepted.
# Needs: apt-get install -y nginx-light libnginx-mod-http-lua lua-cjson
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CMD="${1:-}"
MODDIR=/usr/lib/nginx/modules
MOCK_CPUS="${MOCK_CPUS-0}"; MOCK_WORKERS="${MOCK_WORKERS:-1}"

stop() { # $1 rundir
  local rd="$1"
  [[ -f "$rd/nginx.pid" ]] || return 0
  local pid; pid="$(cat "$rd/nginx.pid")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
  fi
  rm -f "$rd/nginx.pid"
}

case "$CMD" in
  stop) [[ -n "${2:-}" ]] || { echo "usage: $0 stop RUNDIR" >&2; exit 2; }; stop "$2"; exit 0 ;;
  start) [[ -n "${2:-}" && -n "${3:-}" ]] || { echo "usage: $0 start PORT RUNDIR" >&2; exit 2; } ;;
  *) echo "usage: $0 start PORT RUNDIR | stop RUNDIR" >&2; exit 2 ;;
esac
PORT="$2"; RUNDIR="$3"
command -v nginx >/dev/null || { echo "nginx not found: apt-get install -y nginx-light libnginx-mod-http-lua lua-cjson" >&2; exit 1; }
[[ -f $MODDIR/ngx_http_lua_module.so ]] || { echo "nginx lua module missing: apt-get install -y libnginx-mod-http-lua" >&2; exit 1; }
stop "$RUNDIR"
mkdir -p "$RUNDIR/logs" "$RUNDIR/tmp"
# worker_connections must cover 10k+ client streams (direct runs) or 10k+ gateway upstream
# connections plus idle pooled ones; the open-files limit (ulimit -n, raised by run.sh) caps it.
NOFILE="$(ulimit -n)"; [[ "$NOFILE" == unlimited ]] && NOFILE=1048576
WCONN=$(( NOFILE > 60000 ? 60000 : NOFILE - 64 ))
TLS_LISTEN=""
if [[ -n "${MOCK_TLS_PORT:-}" ]]; then
  TLS_LISTEN="    listen 127.0.0.1:$MOCK_TLS_PORT ssl http2 reuseport backlog=4096;
    ssl_certificate $MOCK_TLS_CERT;
    ssl_certificate_key $MOCK_TLS_KEY;"
fi
cat > "$RUNDIR/nginx.conf" <<CONF
load_module $MODDIR/ndk_http_module.so;
load_module $MODDIR/ngx_http_lua_module.so;
worker_processes $MOCK_WORKERS;
worker_rlimit_nofile $NOFILE;
user root;
pid $RUNDIR/nginx.pid;
error_log $RUNDIR/logs/error.log warn;
events { worker_connections $WCONN; multi_accept on; }
http {
  access_log off;
  client_body_temp_path $RUNDIR/tmp/body;
  proxy_temp_path $RUNDIR/tmp/proxy;
  fastcgi_temp_path $RUNDIR/tmp/fastcgi;
  uwsgi_temp_path $RUNDIR/tmp/uwsgi;
  scgi_temp_path $RUNDIR/tmp/scgi;
  client_body_buffer_size 256k;
  client_max_body_size 10m;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  lua_package_path '$HERE/?.lua;/usr/share/lua/5.1/?.lua;;';
  init_by_lua_block { require('mock') }
  server {
    listen 127.0.0.1:$PORT reuseport backlog=4096;
$TLS_LISTEN
    default_type application/json;
    location = /v1/chat/completions { content_by_lua_block { require('mock').chat() } }
    location = /chat/completions    { content_by_lua_block { require('mock').chat() } }
    location = /v1/embeddings {
      return 200 '{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0023,-0.0091,0.0152,0.0042]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":5,"total_tokens":5}}';
    }
    location = /v1/models {
      return 200 '{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1700000000,"owned_by":"mock"},{"id":"text-embedding-3-small","object":"model","created":1700000000,"owned_by":"mock"}]}';
    }
    location = /healthz { return 200 'ok'; }
    location / { return 404 '{"error":{"message":"mock: unknown path","type":"invalid_request_error"}}'; }
  }
}
CONF
TASKSET=(); [[ -n "$MOCK_CPUS" ]] && TASKSET=(taskset -c "$MOCK_CPUS")
"${TASKSET[@]}" nginx -p "$RUNDIR" -c "$RUNDIR/nginx.conf" -g 'daemon on;' 2>>"$RUNDIR/logs/start.log"
for _ in $(seq 50); do [[ -s "$RUNDIR/nginx.pid" ]] && break; sleep 0.1; done
for _ in $(seq 50); do curl -fsS -m 1 "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS -m 2 "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "mock did not come up; see $RUNDIR/logs/" >&2; cat "$RUNDIR/logs/start.log" "$RUNDIR/logs/error.log" >&2 2>/dev/null; exit 1; }
cat "$RUNDIR/nginx.pid"
