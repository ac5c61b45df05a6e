#!/usr/bin/env node
// Streaming (SSE) client for src/bench/run.sh (adapted from the shared load lab). Plain node http, no dependencies.
//
//   node sse-client.js seq  --url URL [--model M] [-H 'K: V']... [--n 10] [--chunks 20] [--interval 20]
//       n sequential streams; reports TTFB (first SSE event), spread (first->last event),
//       number of arrival "groups" and whether chunks arrived incrementally.
//   node sse-client.js hold --url URL [--model M] [-H 'K: V']... [--conns 1000] [--chunks 20]
//       [--interval 500] [--ramp 1000] [--timeout 60] [--body-kb N: an N KiB earlier turn in each request]
//       opens --conns concurrent streams (ramped at --ramp new conns/s) and counts how many
//       complete correctly; reports max simultaneously open streams.
//
// The mock upstream reads "mock:chunks=N,interval=MS" from the request body, so the chunk
// count / spacing travels inside the user message (gateways forward messages untouched).
// Output: one JSON line on stdout (prefixed "SSE ").
'use strict';
const http = require('http');
const https = require('https');

function parseArgs(argv) {
  const a = { mode: argv[0], headers: [], model: 'gpt-4o-mini', n: 10, chunks: 20, interval: 20,
    conns: 1000, ramp: 1000, timeout: 60, bodyKb: 0 };
  for (let i = 1; i < argv.length; i++) {
    const k = argv[i], v = argv[i + 1];
    switch (k) {
      case '--url': a.url = v; i++; break;
      case '--model': a.model = v; i++; break;
      case '-H': case '--header': a.headers.push(v); i++; break;
      case '--n': a.n = +v; i++; break;
      case '--chunks': a.chunks = +v; i++; break;
      case '--interval': a.interval = +v; i++; break;
      case '--conns': a.conns = +v; i++; break;
      case '--ramp': a.ramp = +v; i++; break;
      case '--timeout': a.timeout = +v; i++; break;
      case '--body-kb': a.bodyKb = +v; i++; break;
      default: throw new Error('unknown arg ' + k);
    }
  }
  if (!a.url || !['seq', 'hold'].includes(a.mode)) {
    console.error('usage: sse-client.js seq|hold --url URL [options]  (see header of this file)');
    process.exit(2);
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
// A stray SIGQUIT (e.g. someone asking a JVM for a thread dump by process name) must not kill a run.
process.on('SIGQUIT', () => console.error('sse-client: SIGQUIT ignored'));
const url = new URL(args.url);
const mod = url.protocol === 'https:' ? https : http;
const body = JSON.stringify({
  model: args.model,
  stream: true,
  messages: [
    // --body-kb: earlier turns of a long conversation, so that requests have a realistic size
    ...(args.bodyKb > 0 ? [{ role: 'user', content: 'x'.repeat(args.bodyKb * 1024) }] : []),
    { role: 'user', content: `mock:chunks=${args.chunks},interval=${args.interval}` },
  ],
});
const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
  Accept: 'text/event-stream' };
for (const h of args.headers) {
  const i = h.indexOf(':');
  if (i > 0) headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
}
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

// Hard wall-clock bound for the whole run: outstanding requests are destroyed at the deadline
// and counted as failed ("deadline").
const live = new Set();
const deadlineS = args.mode === 'seq'
  ? args.n * ((args.chunks * args.interval) / 1000 + args.timeout)
  : (args.chunks * args.interval) / 1000 + args.conns / args.ramp + args.timeout;
setTimeout(() => { for (const req of live) req.destroy(new Error('deadline')); }, deadlineS * 1000).unref();

// One streaming request.  Resolves with timing info (never rejects).
function oneStream(onOpen, onClose) {
  return new Promise((resolve) => {
    const r = { ok: false, status: 0, events: 0, done: false, times: [], err: null };
    const t0 = nowMs();
    let buf = '';
    let finished = false;
    const finish = (err) => {
      if (finished) return;
      finished = true;
      if (err && !r.err) r.err = err;
      r.total_ms = nowMs() - t0;
      r.ok = !r.err && r.status === 200 && r.done && r.events >= args.chunks;
      live.delete(req);
      if (onClose) onClose(r);
      resolve(r);
    };
    const req = mod.request({ hostname: url.hostname, port: url.port, path: url.pathname + url.search,
      method: 'POST', headers, agent: false, timeout: args.timeout * 1000 }, (res) => {
      r.status = res.statusCode;
      r.headers_ms = nowMs() - t0;
      let opened = false;
      res.setEncoding('utf8');
      res.on('data', (d) => {
        const t = nowMs() - t0;
        if (r.ttfb_ms === undefined) r.ttfb_ms = t;
        if (!opened) { opened = true; if (onOpen) onOpen(); }
        buf += d;
        let idx;
        // SSE events are separated by a blank line (\n\n or \r\n\r\n)
        while ((idx = buf.search(/\r?\n\r?\n/)) >= 0) {
          const ev = buf.slice(0, idx);
          buf = buf.slice(idx).replace(/^\r?\n\r?\n/, '');
          const data = ev.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          if (!data) continue;                       // comments / heartbeats / event-only lines
          if (data === '[DONE]') { r.done = true; r.times.push(t); continue; }
          r.events++;
          r.times.push(t);
        }
      });
      res.on('end', () => finish(r.status !== 200 ? 'http_' + r.status : null));
      res.on('error', (e) => finish(e.code || e.message));
      res.on('close', () => finish(r.done ? null : 'closed_early'));
      res.on('aborted', () => finish('aborted'));
    });
    live.add(req);
    req.on('timeout', () => { req.destroy(new Error('timeout')); });
    req.on('error', (e) => finish(e.code || e.message));
    req.end(body);
  });
}

function pct(arr, p) {
  if (!arr.length) return null;
  const s = [...arr].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const r3 = (x) => (x === null || x === undefined ? null : Math.round(x * 1000) / 1000);

// arrival groups: events closer than half the mock interval count as one delivery
function groups(times) {
  if (!times.length) return 0;
  const gap = Math.max(2, args.interval / 2);
  let g = 1;
  for (let i = 1; i < times.length; i++) if (times[i] - times[i - 1] >= gap) g++;
  return g;
}

async function seq() {
  const res = [];
  for (let i = 0; i < args.n; i++) res.push(await oneStream());
  const ok = res.filter((r) => r.ok);
  const ttfb = ok.map((r) => r.ttfb_ms);
  const spread = ok.map((r) => r.times[r.times.length - 1] - r.times[0]);
  const g = ok.map((r) => groups(r.times));
  const expectSpread = (args.chunks - 1) * args.interval;
  const incremental = ok.length > 0 && pct(spread, 50) >= 0.8 * expectSpread && pct(g, 50) >= 0.8 * args.chunks;
  return {
    mode: 'seq', n: args.n, ok: ok.length, chunks: args.chunks, interval_ms: args.interval,
    errors: res.filter((r) => !r.ok).map((r) => r.err || ('status=' + r.status + ' events=' + r.events + ' done=' + r.done)).slice(0, 5),
    ttfb_p50_ms: r3(pct(ttfb, 50)), ttfb_min_ms: r3(pct(ttfb, 0)), ttfb_max_ms: r3(pct(ttfb, 100)),
    headers_p50_ms: r3(pct(ok.map((r) => r.headers_ms), 50)),
    events_p50: pct(ok.map((r) => r.events), 50),
    spread_p50_ms: r3(pct(spread, 50)), expected_spread_ms: expectSpread,
    groups_p50: pct(g, 50), incremental,
  };
}

async function hold() {
  let open = 0, maxOpen = 0, started = 0;
  const t0 = nowMs();
  const onOpen = () => { open++; if (open > maxOpen) maxOpen = open; };
  const onClose = (r) => { if (r.ttfb_ms !== undefined) open--; };
  const ps = [];
  const batch = Math.max(1, Math.round(args.ramp / 20)); // start conns in 50 ms slices
  while (started < args.conns) {
    const k = Math.min(batch, args.conns - started);
    for (let i = 0; i < k; i++) ps.push(oneStream(onOpen, onClose));
    started += k;
    if (started < args.conns) await new Promise((r) => setTimeout(r, 50));
  }
  const rampMs = nowMs() - t0;
  const res = await Promise.all(ps);
  const ok = res.filter((r) => r.ok);
  const errs = {};
  for (const r of res) if (!r.ok) { const e = r.err || ('status=' + r.status + '/events=' + r.events); errs[e] = (errs[e] || 0) + 1; }
  const spread = ok.map((r) => r.times[r.times.length - 1] - r.times[0]);
  return {
    mode: 'hold', conns: args.conns, ok: ok.length, failed: res.length - ok.length, errors: errs,
    max_open: maxOpen, ramp_ms: Math.round(rampMs), wall_ms: Math.round(nowMs() - t0),
    chunks: args.chunks, interval_ms: args.interval,
    ttfb_p50_ms: r3(pct(ok.map((r) => r.ttfb_ms), 50)), ttfb_p99_ms: r3(pct(ok.map((r) => r.ttfb_ms), 99)),
    spread_p50_ms: r3(pct(spread, 50)), expected_spread_ms: (args.chunks - 1) * args.interval,
    groups_p50: pct(ok.map((r) => groups(r.times)), 50),
  };
}

(args.mode === 'seq' ? seq() : hold()).then((out) => {
  process.stdout.write('SSE ' + JSON.stringify(out) + '\n');
  process.exit(0);
}, (e) => { console.error(e); process.exit(1); });
