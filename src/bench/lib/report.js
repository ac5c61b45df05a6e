#!/usr/bin/env node
// Markdown table for one src/bench/run.sh run:   node report.js results.jsonl
// Columns: metric | direct (mock) | gateway | gateway vs direct [| peer | peer vs direct].
// With --repeat N the cells are medians over the N runs.
'use strict';
const fs = require('fs');
const rows = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => {
  try { return JSON.parse(l); } catch (e) { return { kind: 'bad', line: l }; }
});
const meta = rows.find((r) => r.kind === 'meta') || {};
const has = (t) => rows.some((r) => r.target === t);
const targets = ['direct', ...(meta.have_gw ? ['gw'] : []), ...(meta.peer ? ['peer'] : [])];
const peerName = meta.peer_name || 'peer';
const colName = { direct: 'direct (mock)', gw: 'gateway', peer: peerName };

const num = (x) => typeof x === 'number' && !Number.isNaN(x);
const median = (a) => {
  const v = a.filter(num).sort((x, y) => x - y);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const fmt = (x, d = 1) => (num(x) ? Number(x).toFixed(d) : '-');
const mb = (kb) => (num(kb) && kb > 0 ? (kb / 1024).toFixed(0) : '-');

const wrkRows = (tag, t, label) => rows.filter((r) => r.kind === 'wrk' && r.tag === tag && r.target === t && (label === undefined || r.label === label));
const sseRows = (tag, t) => rows.filter((r) => r.kind === 'sse' && r.tag === tag && r.target === t && r.r);
// no completed request: latency percentiles are undefined, not 0
const wv = (r, k) => (r && r.reqs ? r[k] : (k === 'rps' || k === 'reqs' ? 0 : null));
const errsOf = (r) => (r ? (r.err_connect || 0) + (r.err_read || 0) + (r.err_write || 0) + (r.err_timeout || 0) + (r.non2xx || 0) : null);

// Reference figures measured in the same load lab (issue #10: one run each, gateway pinned to one core) and the
// targets set there, shown beside this run's figures. Keyed by row id; the (b) rows only at --rate 200, where they
// were measured.
const REF_COLS = ['original llm-gateway-lite (ref, #10)', 'Portkey 1.15 (ref, #10)', 'target (#10)'];
const REFS = {
  'a.rps': ['7,967', '1,004', '>= 2x the original, same run'],
  'b.p50': ['+0.55 ms', '+1.00 ms', '-'],
  'b.p99': ['+2.19 ms', '+12.3 ms', '< +2 ms'],
  'b.serial.p50': ['+0.181 ms', '+0.864 ms', 'no worse than the original'],
  'c.ttfb': ['+0.65 ms', '+26.8 ms', '< +0.5 ms'],
  'd.1000.rss': ['63', '280', '-'],
  'd.5000.rss': ['142', '1,176 (3,945 listen-queue overflows)', '<= 250'],
  'd.10000.rss': ['-', '-', '<= 400 (< 30 KB per stream above idle)'],
  'e.warm': ['41', '94', '< 150'],
  'e.afterstreams': ['-', '-', '< 200 within 60 s'],
  'e.after': ['90', '1,176', '-'],
};
const refFor = (id) => (id && (!id.startsWith('b.') || +meta.rate === 200) ? REFS[id] : null);
const out = [];
let rowId = null; // set by row() callers that have reference figures
const line = (cells) => out.push('| ' + cells.join(' | ') + ' |');
const hdr = ['metric'];
for (const t of targets) { hdr.push(colName[t]); if (t !== 'direct') hdr.push(`${colName[t]} vs direct`); }
hdr.push(...REF_COLS);

function cmp(kind, d, g, dec) {
  if (!num(g)) return '-';
  if (kind === 'ratio') return num(d) && d ? `${(g / d).toFixed(3)}x` : '-';
  if (kind === 'added') { if (!num(d)) return '-'; const x = g - d; return `${x >= 0 ? '+' : ''}${x.toFixed(dec)} ms`; }
  return '';
}
// metric row: getter(target) -> value; kind: 'ratio' | 'added' | null
function row(label, getter, kind, dec = 1, render, id) {
  const vals = Object.fromEntries(targets.map((t) => [t, getter(t)]));
  if (targets.every((t) => vals[t] === null || vals[t] === undefined)) return;
  const cells = [label];
  for (const t of targets) {
    const v = vals[t];
    cells.push(render ? render(v, t) : fmt(v, dec));
    if (t !== 'direct') cells.push(kind ? cmp(kind, vals.direct, v, dec) : '');
  }
  cells.push(...(refFor(id) || REF_COLS.map(() => '')));
  line(cells);
}
const onlyProc = (t) => t !== 'direct'; // RSS / ready rows only make sense for processes we sample

const ms = (x) => (num(x) ? `${x}` : '-');
out.push(`### LLM Gateway Lite benchmark — ${meta.date || ''} (git ${meta.git || '?'})`);
out.push('');
out.push(`CPU layout: gateway pinned to cpu ${meta.gw_cpu} (\`taskset -c ${meta.gw_cpu}\`); mock upstream (nginx+lua, 1 worker), wrk and the SSE client on cpu ${meta.load_cpu}` +
  (meta.peer ? `; peer ${peerName} at ${meta.peer} (pin it yourself, e.g. to cpu ${meta.gw_cpu})` : '') + `. ${meta.nproc} cpus seen, open-files limit ${meta.nofile}.`);
if (meta.started_gw) out.push(`Gateway: \`${meta.jar}\` on ${meta.java}; JVM opts \`${meta.java_opts || '(none)'}\`${meta.gw_env ? `; env \`${meta.gw_env}\`` : ''}.`);
const la = (w) => (rows.find((r) => r.kind === 'load' && r.when === w) || {}).loadavg;
if (la('start')) out.push(`Machine load average (1/5/15 min) at start ${la('start')}, at end ${la('end') || '?'} (this run itself adds ~2; more means other work competed for the 2 cpus).`);
out.push(`Load: wrk -t1, ${meta.duration} s per run, ${meta.conns} conns for max RPS; ${meta.rate_conns} paced conns for ~${meta.rate} req/s; ${meta.seq_n} sequential streams of 20 events x 20 ms; ` +
  `slow streams ${meta.hold_chunks} x ${meta.hold_interval} ms opened at ${meta.ramp}/s.${meta.repeat > 1 ? ` Medians of ${meta.repeat} runs.` : ''}`);
out.push('');
line(hdr); line(hdr.map(() => '---'));

// (e) start / idle memory
const ready = rows.find((r) => r.kind === 'ready' && r.label === 'default');
const rss = (name, t) => { const r = rows.find((x) => x.kind === 'rss' && x.name === name); return r ? (t === 'gw' ? r.gw_kb : t === 'peer' ? r.peer_kb : null) : null; };
row('(e) start -> /readyz 200, ms', (t) => (t === 'gw' && ready ? ready.ms : null), null, 0);
row('(e) RSS MB idle after start', (t) => (onlyProc(t) ? rss('idle_after_start', t) || null : null), null, 0, mb);
row('(e) RSS MB idle after warm-up', (t) => (onlyProc(t) ? rss('idle_after_warmup', t) || null : null), null, 0, mb, 'e.warm');

// (a)
const med = (tag, t, k) => median(wrkRows(tag, t).map((r) => wv(r, k)));
const medE = (tag, t) => median(wrkRows(tag, t).map(errsOf));
const medPk = (tag, t) => median(wrkRows(tag, t).map((r) => r.peak_rss_kb).filter((x) => x > 0));
if (targets.some((t) => wrkRows('max', t).length)) {
  row(`(a) max RPS, ${meta.conns} conns`, (t) => med('max', t, 'rps'), 'ratio', 0, undefined, 'a.rps');
  row('(a) p50 ms at max load', (t) => med('max', t, 'p50_ms'), 'added', 2);
  row('(a) p99 ms at max load', (t) => med('max', t, 'p99_ms'), 'added', 2);
  row('(a) errors (socket + non-2xx)', (t) => medE('max', t), null, 0);
  row('(a) peak RSS MB during max load', (t) => (onlyProc(t) ? medPk('max', t) : null), null, 0, mb);
}
// (b)
if (targets.some((t) => wrkRows('rate', t).length)) {
  row(`(b) achieved req/s (target ${meta.rate})`, (t) => med('rate', t, 'rps'), null, 0);
  row(`(b) p50 ms @ ~${meta.rate} req/s`, (t) => med('rate', t, 'p50_ms'), 'added', 3, undefined, 'b.p50');
  row(`(b) p99 ms @ ~${meta.rate} req/s`, (t) => med('rate', t, 'p99_ms'), 'added', 3, undefined, 'b.p99');
  row('(b) errors @ rate', (t) => medE('rate', t), null, 0);
  row('(b) serial 1-conn req/s', (t) => med('serial', t, 'rps'), 'ratio', 0);
  row('(b) serial 1-conn p50 ms', (t) => med('serial', t, 'p50_ms'), 'added', 3, undefined, 'b.serial.p50');
  row('(b) serial 1-conn p99 ms', (t) => med('serial', t, 'p99_ms'), 'added', 3);
}
// (c)
const sm = (tag, t, k) => median(sseRows(tag, t).map((r) => r.r[k]));
if (targets.some((t) => sseRows('seq', t).length)) {
  row(`(c) streams ok / ${meta.seq_n}`, (t) => sm('seq', t, 'ok'), null, 0);
  row('(c) TTFB p50 ms (first SSE event)', (t) => sm('seq', t, 'ttfb_p50_ms'), 'added', 2, undefined, 'c.ttfb');
  row('(c) TTFB max ms', (t) => sm('seq', t, 'ttfb_max_ms'), 'added', 2);
  row('(c) TTFB p50 ms, warm (20 x 1 ms streams back to back)', (t) => sm('seqwarm', t, 'ttfb_p50_ms'), 'added', 2);
  row('(c) event spread p50 ms (mock sends over 380)', (t) => sm('seq', t, 'spread_p50_ms'), null, 0);
  row('(c) arrival groups p50 (of 20)', (t) => sm('seq', t, 'groups_p50'), null, 0);
  row('(c) incremental (events spread out)', (t) => { const r = sseRows('seq', t); return r.length ? r.every((x) => x.r.incremental) : null; }, null, 0,
    (v) => (v === null || v === undefined ? '-' : v ? 'yes' : '**NO**'));
  row('(c) stream errors', (t) => { const r = sseRows('seq', t).concat(sseRows('seqwarm', t)); return r.length ? r.reduce((s, x) => s + (x.r.n || 0) - (x.r.ok || 0), 0) : null; }, null, 0);
}
// (d)
const holdTags = [...new Set(rows.filter((r) => r.kind === 'sse' && /^hold-/.test(r.tag)).map((r) => r.tag))]
  .sort((a, b) => +a.slice(5) - +b.slice(5));
for (const tag of holdTags) {
  const n = +tag.slice(5);
  const one = (t) => sseRows(tag, t)[0];
  const fdCap = +meta.nofile && n * 2 + 200 > +meta.nofile ? ` (fd limit ${meta.nofile}: a proxy needs 2 per stream)` : '';
  row(`(d) ${n} streams: completed ok${fdCap}`, (t) => (one(t) ? one(t).r.ok : null), null, 0,
    (v, t) => (num(v) ? `${v}${v < n ? ` (**${n - v} failed**)` : ''}` : '-'));
  row(`(d) ${n} streams: max open at once`, (t) => (one(t) ? one(t).r.max_open : null), null, 0);
  row(`(d) ${n} streams: s to open all (client ramp ${meta.ramp}/s)`, (t) => (one(t) ? one(t).r.ramp_ms / 1000 : null), null, 1);
  row(`(d) ${n} streams: TTFB p50 / p99 ms`, (t) => (one(t) ? one(t).r.ttfb_p50_ms : null), null, 0,
    (v, t) => (one(t) && num(v) ? `${fmt(v, 1)} / ${fmt(one(t).r.ttfb_p99_ms, 1)}` : '-'));
  row(`(d) ${n} streams: spread p50 ms (mock ${(meta.hold_chunks - 1) * meta.hold_interval})`, (t) => (one(t) ? one(t).r.spread_p50_ms : null), null, 0);
  row(`(d) ${n} streams: errors`, (t) => (one(t) ? one(t).r.errors : null), null, 0,
    (v) => (v && Object.keys(v).length ? '`' + JSON.stringify(v) + '`' : (v ? 'none' : '-')));
  row(`(d) ${n} streams: listen-queue overflows (kernel)`, (t) => (one(t) ? one(t).listen_overflows : null), null, 0);
  row(`(d) ${n} streams: peak RSS MB / fds / threads`, (t) => (onlyProc(t) && one(t) && one(t).peak_rss_kb ? one(t).peak_rss_kb : null), null, 0,
    (v, t) => (num(v) ? `${mb(v)} / ${one(t).peak_fds} / ${one(t).peak_threads}` : '-'), `d.${n}.rss`);
}
const after = (t) => [10, 30, 60].map((s) => rss(`after_streams_${s}s`, t));
row('(e) RSS MB 10 / 30 / 60 s after the last slow streams ended', (t) => (onlyProc(t) && after(t)[2] ? after(t)[2] : null), null, 0,
  (v, t) => (num(v) ? after(t).map(mb).join(' / ') : '-'), 'e.afterstreams');
row('(e) RSS MB after all tests', (t) => (onlyProc(t) ? rss('after_all', t) || null : null), null, 0, mb, 'e.after');

// (f)
const lg = rows.filter((r) => r.kind === 'wrk' && r.tag === 'logmax');
if (lg.length) {
  const base = lg.find((r) => r.label === 'default');
  for (const r of lg) {
    const sz = rows.find((x) => x.kind === 'logsize' && x.label === r.label);
    const cells = [`(f) max RPS, logging: ${r.label}${sz ? ` (logs ${(sz.bytes / 1048576).toFixed(1)} MB)` : ''}`];
    for (const t of targets) {
      if (t === 'gw') { cells.push(`${fmt(r.rps, 0)} (p99 ${fmt(r.p99_ms, 2)} ms, err ${errsOf(r)})`); cells.push(base && base.rps ? `${(r.rps / base.rps).toFixed(3)}x of default` : '-'); }
      else { cells.push('-'); if (t !== 'direct') cells.push(''); }
    }
    cells.push(...REF_COLS.map(() => ''));
    line(cells);
  }
}
const gl = rows.find((r) => r.kind === 'gwlog');
const pre = rows.filter((r) => r.kind === 'preflight');
out.push('');
const notes = [];
if (pre.length) notes.push('embeddings preflight HTTP: ' + pre.map((r) => `${colName[r.target]} ${r.embeddings_status}`).join(', '));
if (gl) notes.push(`gateway stdout WARN/ERROR/Exception lines: ${gl.stdout_warn_error_lines}; log-file ERROR/Exception lines: ${gl.logfile_error_lines}; log files ${(gl.log_bytes / 1048576).toFixed(1)} MB`);
if (notes.length) out.push(notes.join('. ') + '.');
out.push('Ratios: gateway/direct (1.000x = as fast as the bare mock). "+x ms": latency the gateway adds over the direct path. Compare ratios within one run; the machine is noisy.');
console.log(out.join('\n'));
