-- wrk script for src/bench/run.sh (adapted from the shared load lab): POST a JSON body (env BENCH_BODY),
-- optional per-connection pacing (env BENCH_DELAY_MS: pause before each request, drawn uniformly
-- from [D/2, 3D/2] so that the connections do not fire in lock-step bursts; the rate is then
-- ~ conns*1000/(D+latency)).  Headers come from wrk -H.  done() prints one parseable line:
--   BENCH reqs=.. secs=.. rps=.. p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. err_connect=.. err_read=.. err_write=.. err_timeout=.. non2xx=..
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}'
wrk.headers["Content-Type"] = "application/json"
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0") or 0
if delay_ms > 0 then
  local lo, hi = math.max(0, math.floor(delay_ms / 2)), math.ceil(delay_ms * 3 / 2)
  function init(args) math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000) end
  function delay() return math.random(lo, hi) end
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH reqs=%d secs=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f err_connect=%d err_read=%d err_write=%d err_timeout=%d non2xx=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.timeout, e.status))
end
