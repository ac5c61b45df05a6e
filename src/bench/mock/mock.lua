-- Mock OpenAI-compatible upstream for src/bench/run.sh (nginx + lua-nginx-module).
-- Adapted from the shared load lab (shared/bench/mock/mock.lua).
-- Non-streaming: static chat.completion JSON (no parsing, one string.find on the body).
-- Streaming ("stream": true in the body): SSE chat.completion.chunk events, spaced in time
-- with ngx.sleep (non-blocking).  Defaults: 20 content chunks, 20 ms apart.
-- Override per request by putting  mock:chunks=N,interval=MS  anywhere in the body
-- (e.g. in the user message; every gateway forwards messages untouched).
-- Any Authorization header is accepted.
local _M = {}

local find, match, concat = string.find, string.match, table.concat

local CHAT = '{"id":"chatcmpl-mock","object":"chat.completion","created":1700000000,'
  .. '"model":"gpt-4o-mini","system_fingerprint":"fp_mock","choices":[{"index":0,'
  .. '"message":{"role":"assistant","content":"Hello from the mock upstream."},'
  .. '"logprobs":null,"finish_reason":"stop"}],'
  .. '"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}'

local CHUNK_HEAD = 'data: {"id":"chatcmpl-mock","object":"chat.completion.chunk","created":1700000000,'
  .. '"model":"gpt-4o-mini","system_fingerprint":"fp_mock","choices":[{"index":0,"delta":{'

local function chunk(i, first)
  local role = first and '"role":"assistant",' or ''
  return CHUNK_HEAD .. role .. '"content":"tok' .. i .. ' "},"logprobs":null,"finish_reason":null}]}\n\n'
end

local function read_body()
  ngx.req.read_body()
  local data = ngx.req.get_body_data()
  if data then return data end
  local path = ngx.req.get_body_file()
  if not path then return nil end
  local f = io.open(path, 'rb')
  if not f then return nil end
  data = f:read('*a')
  f:close()
  return data
end

function _M.chat()
  local body = read_body() or ''
  if not find(body, '"stream"%s*:%s*true') then
    ngx.header['Content-Type'] = 'application/json'
    ngx.header['Content-Length'] = #CHAT
    ngx.print(CHAT)
    return
  end

  local n = tonumber(match(body, 'mock:chunks=(%d+)')) or 20
  local iv = tonumber(match(body, 'interval=(%d+)')) or 20
  if n < 1 then n = 1 end
  if n > 100000 then n = 100000 end

  ngx.header['Content-Type'] = 'text/event-stream'
  ngx.header['Cache-Control'] = 'no-cache'
  ngx.header['X-Accel-Buffering'] = 'no'
  for i = 1, n do
    local out = chunk(i, i == 1)
    if i == n then
      out = out .. CHUNK_HEAD .. '},"logprobs":null,"finish_reason":"stop"}],'
        .. '"usage":{"prompt_tokens":12,"completion_tokens":' .. n .. ',"total_tokens":' .. (12 + n) .. '}}\n\n'
        .. 'data: [DONE]\n\n'
    end
    ngx.print(out)
    local ok = ngx.flush(true)
    if not ok then return end           -- client went away
    if i < n and iv > 0 then ngx.sleep(iv / 1000) end
  end
end

return _M
