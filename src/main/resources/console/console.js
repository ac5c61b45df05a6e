'use strict';
// The LLM Gateway console: plain DOM, no framework, no build step. Every value from the gateway reaches the page as
// a text node or an attribute set through the DOM, never parsed as markup, and the CSP allows no inline script.
(function () {
  const BASE = location.pathname.slice(0, location.pathname.indexOf('/admin/')) + '/admin';
  const PAGE = location.pathname.slice(location.pathname.lastIndexOf('/') + 1);
  const REFRESH_MS = 10000;
  const LIVE_REFRESH_MS = 2000;
  const MAX_MODEL_ROWS = 500;
  let csrf = null;

  // ---- DOM helpers ----

  /** An element with attributes (on* = listeners) and children (strings become text nodes). */
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    append(el, kids);
    return el;
  }

  function append(el, kids) {
    for (const kid of kids) {
      if (kid === null || kid === undefined || kid === false) continue;
      if (Array.isArray(kid)) append(el, kid);
      else if (kid instanceof Node) el.appendChild(kid);
      else el.appendChild(document.createTextNode(String(kid)));
    }
  }

  function svg(tag, attrs) {
    const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  function table(id, headers, rows, empty) {
    return h('div', {class: 'table-wrap'},
      h('table', {id: id},
        h('thead', {}, h('tr', {}, headers.map(x => h('th', {}, x)))),
        h('tbody', {}, rows.length ? rows : h('tr', {class: 'empty'}, h('td', {colspan: headers.length}, empty || 'nothing yet')))));
  }

  function card(id, label, value, sub, tone) {
    return h('div', {class: 'card' + (tone ? ' ' + tone : ''), id: id},
      h('div', {class: 'label'}, label), h('div', {class: 'value'}, value), h('div', {class: 'sub'}, sub || ''));
  }

  function badge(text, tone) {
    return h('span', {class: 'badge ' + (tone || '')}, text);
  }

  function section(title, ...kids) {
    return h('section', {class: 'panel'}, h('h2', {}, title), kids);
  }

  // ---- formatting ----

  const num = n => (n || 0).toLocaleString('en-US');
  const pct = (a, b) => b ? (100 * a / b).toFixed(1) + '%' : '–';
  const ms = x => x >= 1000 ? (x / 1000).toFixed(2) + ' s' : Math.round(x) + ' ms';
  function time(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    return d.toLocaleString('en-GB', {hour12: false});
  }
  function hhmm(iso) {
    return new Date(iso).toLocaleTimeString('en-GB', {hour: '2-digit', minute: '2-digit', hour12: false});
  }
  function until(iso) {
    const s = Math.max(0, Math.round((new Date(iso) - Date.now()) / 1000));
    return s >= 3600 ? Math.floor(s / 3600) + 'h ' + Math.floor(s % 3600 / 60) + 'm'
      : s >= 60 ? Math.floor(s / 60) + 'm ' + (s % 60) + 's' : s + 's';
  }
  function rateTone(errors, total) {
    if (!total) return '';
    const r = errors / total;
    return r >= 0.2 ? 'bad' : r >= 0.05 ? 'warn' : 'good';
  }

  // ---- API ----

  async function api(path, options) {
    const o = Object.assign({method: 'GET'}, options || {});
    const headers = {Accept: 'application/json'};
    if (o.method !== 'GET') {
      headers['X-CSRF-Token'] = csrf;
      headers['Content-Type'] = 'application/json';
    }
    const r = await fetch(BASE + path, {method: o.method, headers: headers, credentials: 'same-origin',
      body: o.body === undefined ? undefined : JSON.stringify(o.body), cache: 'no-store'});
    if (r.status === 401) {
      location.assign(BASE + '/login?next=' + encodeURIComponent(location.pathname));
      throw new Error('session ended');
    }
    let body = null;
    try {
      body = await r.json();
    } catch (e) {
      body = null;
    }
    return {status: r.status, ok: r.ok, body: body};
  }

  async function get(path) {
    const r = await api(path);
    if (!r.ok) throw new Error((r.body && r.body.error && r.body.error.message) || ('HTTP ' + r.status));
    return r.body;
  }

  function flash(text, tone) {
    const box = document.getElementById('flash') || document.body.appendChild(h('div', {id: 'flash'}));
    const m = h('div', {class: 'msg ' + (tone || 'good')}, text);
    box.appendChild(m);
    setTimeout(() => m.remove(), 6000);
  }

  /** Runs {@code load} now, on demand and every {@code every} ms while the tab is visible and auto is on. */
  function refresher(load, every, autoBox) {
    let timer = null;
    const run = async () => {
      try {
        await load();
        const stamp = document.getElementById('updated');
        if (stamp) stamp.textContent = 'updated ' + new Date().toLocaleTimeString('en-GB', {hour12: false});
      } catch (e) {
        if (e.message !== 'session ended') flash('Could not load: ' + e.message, 'bad');
      }
    };
    const schedule = () => {
      clearInterval(timer);
      timer = null;
      if ((!autoBox || autoBox.checked) && !document.hidden) timer = setInterval(run, every);
    };
    document.addEventListener('visibilitychange', () => {
      schedule();
      if (!document.hidden && (!autoBox || autoBox.checked)) run();
    });
    if (autoBox) autoBox.addEventListener('change', schedule);
    schedule();
    run();
    return run;
  }

  function toolbar(...kids) {
    return h('div', {class: 'toolbar'}, kids, h('span', {id: 'updated', class: 'muted'}));
  }

  // ---- Overview ----

  function overview(main) {
    const windowSel = h('select', {id: 'window'},
      [['15', '15 min'], ['60', '1 h'], ['360', '6 h'], ['1440', '24 h']].map(([v, t]) =>
        h('option', {value: v, selected: v === '60'}, t)));
    const auto = h('input', {type: 'checkbox', id: 'auto', checked: true});
    const body = h('div', {id: 'overview'});
    let run = null;
    const refreshBtn = h('button', {type: 'button', id: 'refresh', onclick: () => run()}, 'Refresh');
    main.append(toolbar(h('label', {}, 'Window ', windowSel), refreshBtn,
      h('label', {}, auto, ' auto-refresh 10 s')), body);
    windowSel.addEventListener('change', () => run());
    run = refresher(async () => {
      const w = windowSel.value;
      const [stats, breakdown, keys, live] = await Promise.all([get('/stats?window=' + w),
        get('/stats/breakdown?window=' + w), get('/keys'), get('/live')]);
      renderOverview(body, stats, breakdown, keys, live);
    }, REFRESH_MS, auto);
  }

  function renderOverview(body, stats, breakdown, keys, live) {
    const t = stats.totals;
    let peak = null;
    let latencySum = 0;
    for (const p of stats.series) {
      if (!peak || p.requests > peak.requests) peak = p;
      latencySum += p.avg_latency_ms * p.requests;
    }
    const avgLatency = t.requests ? latencySum / t.requests : 0;
    const providers = stats.providers.filter(p => p.requests > 0);
    const failingProviders = providers.filter(p => p.errors > 0).length;
    const attempts = providers.reduce((a, p) => a + p.requests, 0);
    const cooling = [];
    for (const p of keys.providers) for (const k of p.keys) if (k.state === 'cooling') cooling.push(p.provider + '/' + k.key_id);
    const success = t.requests - t.errors;
    clear(body).append(
      h('div', {class: 'cards'},
        card('card-calls', 'Calls', num(t.requests),
          (peak && peak.requests ? 'peak ' + num(peak.requests) + '/min at ' + hhmm(peak.minute) : 'no traffic')
          + ' · ' + num(stats.all_time.requests) + ' since first start'),
        card('card-success', 'Success rate', pct(success, t.requests), num(success) + ' succeeded', rateTone(t.errors, t.requests)),
        card('card-failure', 'Failure rate', pct(t.errors, t.requests), num(t.errors) + ' of ' + num(t.requests)),
        card('card-failures', 'Failures', num(t.errors), breakdown.error_types.length + ' error type'
          + (breakdown.error_types.length === 1 ? '' : 's')),
        card('card-latency', 'Average latency', t.requests ? ms(avgLatency) : '–', 'client requests'),
        card('card-providers', 'Active providers', num(providers.length), failingProviders + ' with failures'),
        card('card-cooling', 'Keys in cooldown', num(cooling.length), cooling.slice(0, 3).join(', ') + (cooling.length > 3 ? ', …' : ''),
          cooling.length ? 'warn' : ''),
        card('card-live', 'In flight now', num(live.in_flight), num(live.active_streams) + ' active streams')),
      stats.fleet ? fleetPanel(stats.fleet) : null,
      section('Calls and failures per minute', chart(stats.series)),
      h('div', {class: 'grid2'},
        section('Status classes', statusBars(breakdown.status_classes)),
        section('Top error types', table('error-types', ['error type', 'count', 'share'],
          breakdown.error_types.slice(0, 10).map(e => h('tr', {}, h('td', {}, h('code', {}, e.name)),
            h('td', {class: 'n'}, num(e.count)), h('td', {class: 'n'}, pct(e.count, t.errors)))), 'no failures'))),
      section('Provider health', table('provider-health', ['provider', 'calls', 'failures', 'failure rate', 'share', 'avg latency'],
        stats.providers.map(p => h('tr', {}, h('td', {}, p.provider), h('td', {class: 'n'}, num(p.requests)),
          h('td', {class: 'n'}, num(p.errors)), h('td', {}, badge(pct(p.errors, p.requests), rateTone(p.errors, p.requests))),
          h('td', {class: 'n'}, pct(p.requests, attempts)), h('td', {class: 'n'}, ms(p.avg_latency_ms)))),
        'no upstream calls in this window')),
      h('div', {class: 'grid2'},
        section('Key risk', h('p', {class: 'muted'}, 'score = 3 × 429s + 5 × cooldowns + other 4xx'),
          table('key-risk', ['key', 'calls', '429', 'other 4xx', 'cooldowns', 'score'],
            breakdown.keys.filter(k => k.score > 0).slice(0, 15).map(k => h('tr', {},
              h('td', {}, k.provider + ' / ' + k.key_id), h('td', {class: 'n'}, num(k.requests)),
              h('td', {class: 'n'}, num(k.too_many_requests)), h('td', {class: 'n'}, num(k.other_client_errors)),
              h('td', {class: 'n'}, num(k.cooldowns)), h('td', {class: 'n'}, badge(num(k.score), k.score >= 10 ? 'bad' : 'warn')))),
            'no key at risk')),
        section('Latest cooldowns', h('ul', {id: 'cooldown-feed', class: 'feed'},
          stats.cooldowns.length ? stats.cooldowns.slice(0, 20).map(c => h('li', {},
            h('span', {class: 'muted'}, time(c.at)), ' ', h('b', {}, c.provider + ' / ' + c.key_id),
            ' until ' + hhmm(c.until) + ': ', h('span', {}, c.reason))) : h('li', {class: 'muted'}, 'no cooldowns')))));
  }

  // ---- Fleet: the replicas sharing state through Redis (only when the gateway has GATEWAY_REDIS_URL) ----

  /** Replicas report every 2 s; a report older than this is flagged (the gateway drops it after 10 s). */
  const FLEET_STALE_MS = 6000;
  const FLEET_HEADERS = ['replica', 'calls', 'failures', 'failure rate', 'tokens', 'active streams', 'last report'];

  function ago(iso) {
    if (!iso) return '–';
    const s = Math.max(0, Math.round((Date.now() - new Date(iso)) / 1000));
    return s >= 60 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s ago' : s + ' s ago';
  }

  function fleetRow(name, isSelf, t, streams, updated, cls) {
    const stale = updated && Date.now() - new Date(updated) > FLEET_STALE_MS;
    return h('tr', {class: cls, 'data-replica': name},
      h('td', {class: 'replica'}, h('code', {}, name), isSelf ? [' ', badge('this replica', 'good')] : null),
      h('td', {class: 'n'}, num(t.requests)), h('td', {class: 'n'}, num(t.errors)),
      h('td', {}, badge(pct(t.errors, t.requests), rateTone(t.errors, t.requests))),
      h('td', {class: 'n'}, num(t.tokens)), h('td', {class: 'n'}, num(streams)),
      h('td', {class: 'age'}, updated ? badge(ago(updated), stale ? 'warn' : 'muted') : '–'));
  }

  function fleetPanel(f) {
    if (!f.available) {
      return h('section', {class: 'panel', id: 'fleet'}, h('h2', {}, 'Fleet'),
        h('div', {class: 'msg bad', id: 'fleet-unavailable'}, 'Redis unreachable: showing this replica only'),
        h('p', {class: 'muted'}, 'Every replica keeps serving on its own cooldowns and circuits and catches up when Redis answers again.'),
        table('fleet-table', FLEET_HEADERS, [fleetRow(f.self, true, f.totals, f.active_streams, null, 'self')]));
    }
    const wrap = table('fleet-table', FLEET_HEADERS,
      f.replicas.map(r => fleetRow(r.replica, r.self, r.totals, r.active_streams, r.updated_at, r.self ? 'self' : '')),
      'no replica has reported yet');
    wrap.firstChild.appendChild(h('tfoot', {}, h('tr', {class: 'total', id: 'fleet-total'},
      h('td', {}, 'all ' + f.replica_count + ' replica' + (f.replica_count === 1 ? '' : 's')),
      h('td', {class: 'n'}, num(f.totals.requests)), h('td', {class: 'n'}, num(f.totals.errors)),
      h('td', {}, badge(pct(f.totals.errors, f.totals.requests), rateTone(f.totals.errors, f.totals.requests))),
      h('td', {class: 'n'}, num(f.totals.tokens)), h('td', {class: 'n'}, num(f.active_streams)), h('td', {}, ''))));
    return h('section', {class: 'panel', id: 'fleet'},
      h('h2', {}, 'Fleet', h('span', {class: 'muted detail', id: 'fleet-summary'},
        num(f.replica_count) + ' replica' + (f.replica_count === 1 ? '' : 's') + ' sharing cooldowns and circuits through Redis · '
        + num(f.all_time.requests) + ' calls since their start')),
      wrap);
  }

  function chart(series) {
    const W = 960;
    const H = 180;
    const max = Math.max(1, ...series.map(p => p.requests));
    const bw = W / series.length;
    const s = svg('svg', {viewBox: '0 0 ' + W + ' ' + (H + 20), class: 'chart', id: 'chart', role: 'img',
      'aria-label': 'calls and failures per minute'});
    for (let i = 0; i < series.length; i++) {
      const p = series[i];
      if (!p.requests) continue;
      const x = i * bw;
      const hc = H * p.requests / max;
      const r = svg('rect', {x: x, y: H - hc, width: Math.max(bw - 0.5, 0.5), height: hc, class: 'calls'});
      const title = svg('title', {});
      title.textContent = hhmm(p.minute) + ': ' + p.requests + ' calls, ' + p.errors + ' failures';
      r.appendChild(title);
      s.appendChild(r);
      if (p.errors) {
        const he = H * p.errors / max;
        s.appendChild(svg('rect', {x: x, y: H - he, width: Math.max(bw - 0.5, 0.5), height: he, class: 'failures'}));
      }
    }
    s.appendChild(svg('line', {x1: 0, y1: H, x2: W, y2: H, class: 'axis'}));
    const label = (x, anchor, text) => {
      const t = svg('text', {x: x, y: H + 15, 'text-anchor': anchor, class: 'tick'});
      t.textContent = text;
      s.appendChild(t);
    };
    if (series.length) {
      label(0, 'start', hhmm(series[0].minute));
      label(W, 'end', hhmm(series[series.length - 1].minute));
    }
    const top = svg('text', {x: 4, y: 12, class: 'tick'});
    top.textContent = max + '/min';
    s.appendChild(top);
    return h('div', {}, s, h('div', {class: 'legend'}, h('span', {class: 'sw calls'}), 'calls ',
      h('span', {class: 'sw failures'}), 'failures'));
  }

  function statusBars(classes) {
    const total = Object.values(classes).reduce((a, b) => a + b, 0);
    return h('div', {id: 'status-classes', class: 'bars'}, Object.entries(classes).map(([k, v]) =>
      h('div', {class: 'bar-row'}, h('span', {class: 'bar-label'}, k),
        h('span', {class: 'bar'}, h('span', {class: 'fill s' + k[0], style: null, 'data-w': total ? v / total : 0})),
        h('span', {class: 'n'}, num(v) + ' (' + pct(v, total) + ')'))));
  }

  // Widths are set through the CSSOM (allowed by the CSP), not inline style attributes.
  function sizeBars(root) {
    for (const el of root.querySelectorAll('[data-w]')) el.style.width = (100 * Number(el.dataset.w)).toFixed(1) + '%';
  }

  // ---- Models & channels ----

  function topology(main) {
    const search = h('input', {type: 'search', id: 'topology-search', placeholder: 'Search model ids, aliases, providers…',
      autocomplete: 'off'});
    const chips = h('div', {class: 'chips', id: 'chips'});
    const models = h('div', {id: 'models'});
    const providers = h('div', {id: 'providers'});
    main.append(toolbar(search), chips, section('Models', models), section('Providers (calls in the last hour)', providers));
    let data = null;
    const render = () => {
      if (!data) return;
      const q = search.value.trim().toLowerCase();
      renderTopology(q, data, chips, models, providers);
    };
    let pending = null;
    search.addEventListener('input', () => {
      clearTimeout(pending);
      pending = setTimeout(render, 120);
    });
    refresher(async () => {
      const [catalog, keys, stats] = await Promise.all([get('/catalog'), get('/keys'), get('/stats?window=60')]);
      data = {catalog: catalog, keys: keys, stats: stats};
      render();
    }, REFRESH_MS * 3, null);
  }

  function renderTopology(q, data, chips, modelsBox, providersBox) {
    const c = data.catalog;
    const rt = c.runtime;
    const tenants = [...new Set(c.gateway_keys.map(k => k.tenant_id).filter(Boolean))];
    clear(chips).append(
      badge('client auth ' + (rt.auth_enabled ? 'on' : 'off'), rt.auth_enabled ? 'good' : 'warn'),
      badge('admin token on', 'good'),
      badge('selection headers ' + (rt.expose_selection ? 'on' : 'off'), ''),
      badge('reload every ' + rt.reload_interval_sec + ' s', ''),
      badge('key cooldown ' + rt.key_cooldown_sec + ' s', ''),
      badge(tenants.length + ' tenant' + (tenants.length === 1 ? '' : 's') + (tenants.length ? ': ' + tenants.slice(0, 8).join(', ') : ''), ''),
      badge(c.summary.models + ' models · ' + c.summary.providers + ' providers · ' + c.summary.gateway_keys + ' gateway keys', ''),
      badge('config ' + rt.config_hash.slice(0, 12) + ' loaded ' + time(rt.config_loaded_at), 'muted'));
    const match = m => !q || m.name.toLowerCase().includes(q)
      || m.aliases.some(a => a.toLowerCase().includes(q))
      || Object.keys(m.provider_map).some(p => p.toLowerCase().includes(q))
      || Object.values(m.provider_map).some(p => String(p).toLowerCase().includes(q));
    const found = c.models.filter(match);
    const shown = found.slice(0, MAX_MODEL_ROWS);
    clear(modelsBox).append(
      h('p', {class: 'muted', id: 'models-count'}, found.length + ' of ' + c.models.length + ' models'
        + (found.length > shown.length ? ' (first ' + shown.length + ' shown: refine the search)' : '')),
      table('models-table', ['model', 'aliases', 'priority chain', 'allowed providers', 'provider_map'],
        shown.map(m => h('tr', {}, h('td', {}, h('b', {}, m.name)),
          h('td', {}, m.aliases.map(a => h('span', {class: 'chip'}, a))),
          h('td', {}, m.default_providers.length ? m.default_providers.join(' -> ') : h('span', {class: 'muted'}, 'weighted')),
          h('td', {}, m.allow_providers ? m.allow_providers.join(', ') : h('span', {class: 'muted'}, 'all mapped')),
          h('td', {}, Object.entries(m.provider_map).map(([p, n]) => h('div', {}, h('code', {}, p), ' → ', h('code', {}, n)))))),
        'no model matches'));
    const usage = {};
    for (const p of data.stats.providers) usage[p.provider] = p;
    const cooling = {};
    const circuits = {};
    for (const p of data.keys.providers) {
      cooling[p.provider] = p.keys.filter(k => k.state === 'cooling').length;
      circuits[p.provider] = typeof p.circuit === 'object' && p.circuit ? String(p.circuit.state) : String(p.circuit || '');
    }
    const ps = c.providers.filter(p => !q || p.name.toLowerCase().includes(q) || c.models.some(m => match(m) && m.provider_map[p.name] !== undefined));
    clear(providersBox).append(table('providers-table', ['provider', 'type', 'base url', 'weight', 'keys', 'cooling', 'timeout', 'circuit', 'calls', 'failures', 'failure rate'],
      ps.map(p => {
        const u = usage[p.name] || {requests: 0, errors: 0};
        return h('tr', {}, h('td', {}, h('b', {}, p.name)), h('td', {}, p.type), h('td', {}, h('code', {}, p.base_url || 'in-process')),
          h('td', {class: 'n'}, p.weight), h('td', {class: 'n'}, p.keys.length),
          h('td', {class: 'n'}, cooling[p.name] ? badge(String(cooling[p.name]), 'warn') : '0'),
          h('td', {class: 'n'}, ms(p.timeout_ms)),
          h('td', {}, circuits[p.name] ? badge(circuits[p.name].replace(/_/g, ' '), circuitTone(circuits[p.name])) : '–'),
          h('td', {class: 'n'}, num(u.requests)), h('td', {class: 'n'}, num(u.errors)),
          h('td', {}, badge(pct(u.errors, u.requests), rateTone(u.errors, u.requests))));
      }), 'no provider matches'));
  }

  // ---- Keys ----

  function keysPage(main) {
    const auto = h('input', {type: 'checkbox', id: 'auto', checked: true});
    const body = h('div', {id: 'keys'});
    let run = null;
    main.append(toolbar(h('button', {type: 'button', id: 'refresh', onclick: () => run()}, 'Refresh'),
      h('label', {}, auto, ' auto-refresh 10 s')), body);
    run = refresher(async () => renderKeys(body, await get('/keys'), () => run()), REFRESH_MS, auto);
  }

  /** A detail value as people read it: rates in %, instants as local times, nested values as JSON text. */
  function detail(k, v) {
    if (/rate$/.test(k) && typeof v === 'number') return (v <= 1 ? v * 100 : v).toFixed(1) + '%';
    if (/(_at|_until)$/.test(k) && typeof v === 'string') return time(v);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }

  /** Non-empty fields of an object as small "name: value" labels. */
  function details(obj) {
    return Object.entries(obj || {}).filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => h('span', {class: 'muted detail'}, k.replace(/_/g, ' ') + ': ' + detail(k, v)));
  }

  /** The circuit as /admin/keys gives it: a state name (or an object with a state), and the breaker's details. */
  function circuit(c, breaker) {
    if (c === null || c === undefined) return null;
    const state = typeof c === 'object' ? String(c.state || '') : String(c);
    return h('span', {class: 'circuit'}, 'circuit ', badge(state.replace(/_/g, ' '), circuitTone(state)),
      typeof c === 'object' ? details(Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'state'))) : null,
      details(breaker));
  }

  function circuitTone(state) {
    return /half/i.test(state) ? 'warn' : /open/i.test(state) ? 'bad' : 'good';
  }

  function renderKeys(body, data, reload) {
    clear(body);
    for (const p of data.providers) {
      const extra = details(Object.fromEntries(Object.entries(p).filter(([k]) => !['provider', 'keys', 'circuit', 'breaker'].includes(k))));
      body.append(h('section', {class: 'panel', 'data-provider': p.provider},
        h('h2', {}, p.provider, ' ', circuit(p.circuit, p.breaker), extra),
        table('keys-' + p.provider, ['key id', 'state', 'cooling until', 'reason', 'last error', 'calls ok', 'failures', 'cooldowns', ''],
          p.keys.map(k => h('tr', {'data-key': k.key_id},
            h('td', {}, h('code', {}, k.key_id)),
            h('td', {class: 'state'}, badge(k.state, k.state === 'ok' ? 'good' : 'warn')),
            h('td', {}, k.cooling_until ? time(k.cooling_until) + ' (in ' + until(k.cooling_until) + ')' : '–'),
            h('td', {}, k.reason || '–'),
            h('td', {}, k.last_error ? [h('span', {}, k.last_error), h('div', {class: 'muted'}, time(k.last_error_at))] : '–'),
            h('td', {class: 'n'}, num(k.successes)), h('td', {class: 'n'}, num(k.failures)), h('td', {class: 'n'}, num(k.cooldowns)),
            h('td', {}, h('button', {type: 'button', class: 'reset', disabled: k.state !== 'cooling',
              onclick: async ev => {
                ev.target.disabled = true;
                const r = await api('/keys/' + encodeURIComponent(p.provider) + '/' + encodeURIComponent(k.key_id) + '/reset', {method: 'POST'});
                flash(r.ok ? 'Cooldown of ' + p.provider + '/' + k.key_id + ' ended' : 'Reset failed: ' + errorText(r), r.ok ? 'good' : 'bad');
                reload();
              }}, 'End cooldown')))), 'no keys')));
    }
  }

  // ---- Live ----

  function livePage(main) {
    const body = h('div', {id: 'live'});
    main.append(toolbar(h('span', {class: 'muted'}, 'refreshes every 2 s while this tab is visible')), body);
    refresher(async () => {
      const live = await get('/live');
      clear(body).append(h('div', {class: 'cards'},
        card('card-inflight', 'Requests in flight', num(live.in_flight), 'console calls not counted'),
        card('card-streams', 'Active streams', num(live.active_streams), 'open server-sent event streams')),
      section('Requests in flight (longest first)', table('live-table',
        ['request id', 'method', 'path', 'model', 'provider', 'key', 'stream', 'attempts', 'running', 'client'],
        live.requests.map(r => h('tr', {}, h('td', {}, h('code', {}, r.request_id)), h('td', {}, r.method), h('td', {}, r.path),
          h('td', {}, r.model || '–'), h('td', {}, r.provider || '–'), h('td', {}, r.key_id || '–'),
          h('td', {}, r.stream ? badge('stream', 'good') : ''), h('td', {class: 'n'}, r.attempts), h('td', {class: 'n'}, ms(r.elapsed_ms)),
          h('td', {}, r.client))), 'no request in flight')));
    }, LIVE_REFRESH_MS, null);
  }

  // ---- Config center ----

  function errorText(r) {
    return (r.body && r.body.error && r.body.error.message) || ('HTTP ' + r.status);
  }

  function configPage(main) {
    const state = {file: null, hash: null, dirty: false};
    const fileTabs = h('div', {class: 'file-tabs', id: 'config-files'});
    const editor = h('textarea', {id: 'config-editor', spellcheck: 'false', autocomplete: 'off', wrap: 'off'});
    const info = h('div', {id: 'config-info', class: 'muted'});
    const result = h('div', {id: 'config-result'});
    const historyBox = h('div', {id: 'config-history'});
    const viewer = h('div', {id: 'config-viewer'});
    const footer = h('p', {class: 'muted', id: 'config-where'});
    const save = h('button', {type: 'button', id: 'config-save', class: 'primary'}, 'Validate, save and apply');
    const reloadBtn = h('button', {type: 'button', id: 'config-reload'}, 'Discard and reload from disk');
    main.append(fileTabs, h('div', {class: 'config'},
      h('div', {class: 'editor-col'}, info, editor, h('div', {class: 'toolbar'}, save, reloadBtn), result),
      h('div', {class: 'history-col'}, section('Versions', historyBox), viewer)), footer);
    editor.addEventListener('input', () => { state.dirty = true; });
    window.addEventListener('beforeunload', e => { if (state.dirty) e.preventDefault(); });

    async function open(name) {
      if (state.dirty && !window.confirm('Discard your unsaved changes to ' + state.file + '?')) return;
      const f = await get('/config/files/' + encodeURIComponent(name));
      state.file = name;
      state.hash = f.hash;
      state.dirty = false;
      editor.value = f.text;
      for (const t of fileTabs.querySelectorAll('button')) t.classList.toggle('active', t.dataset.file === name);
      append(clear(info), [h('b', {}, name), f.exists ? ' · ' + num(f.size) + ' bytes · modified ' + time(f.modified) : ' · does not exist yet (saving creates it)',
        ' · version ', h('code', {id: 'config-hash'}, f.hash.slice(0, 12)),
        f.masked_values ? h('span', {class: 'masked-note'}, ' · ' + f.masked_values + ' secret value' + (f.masked_values === 1 ? ' is' : 's are')
          + ' shown as "' + f.mask + '": leave it so to keep the stored secret') : null]);
      clear(result);
      clear(viewer);
      await history();
    }

    async function history() {
      const data = await get('/config/files/' + encodeURIComponent(state.file) + '/versions');
      clear(historyBox).append(data.versions.length ? h('ol', {class: 'versions'}, data.versions.map(v => {
        const confirmRow = h('div', {class: 'confirm', hidden: true},
          'Restore this version? It is validated like a save. ',
          h('button', {type: 'button', class: 'primary confirm-restore', onclick: () => restore(v)}, 'Yes, restore'),
          h('button', {type: 'button', onclick: () => { confirmRow.hidden = true; }}, 'Cancel'));
        return h('li', {'data-version': v.id},
          h('div', {}, h('b', {}, time(v.at)), ' ', h('span', {class: 'muted'}, 'by '), h('span', {class: 'operator'}, v.operator)),
          h('div', {class: 'muted'}, v.action + ' · ' + v.hash.slice(0, 12)),
          h('div', {class: 'row'},
            h('button', {type: 'button', class: 'view', onclick: () => view(v)}, 'View'),
            h('button', {type: 'button', class: 'diff', onclick: () => diff(v)}, 'Diff vs current'),
            h('button', {type: 'button', class: 'restore', onclick: () => { confirmRow.hidden = false; }}, 'Restore…')),
          confirmRow);
      })) : h('p', {class: 'muted'}, 'No saved versions yet: the first save also keeps the file as it is now.'));
    }

    async function view(v) {
      const data = await get('/config/files/' + encodeURIComponent(state.file) + '/versions/' + v.id);
      clear(viewer).append(section('Version of ' + time(v.at) + ' by ' + v.operator, h('pre', {class: 'code', id: 'version-text'}, data.text)));
    }

    async function diff(v) {
      const data = await get('/config/files/' + encodeURIComponent(state.file) + '/versions/' + v.id + '/diff');
      clear(viewer).append(section('Changes from ' + time(v.at) + ' to the current file',
        data.identical ? h('p', {class: 'muted', id: 'diff-text'}, 'identical to the current file')
          : h('pre', {class: 'code diff', id: 'diff-text'}, data.diff.map(line => h('span', {
            class: line.startsWith('+++') || line.startsWith('---') ? 'file' : line.startsWith('@@') ? 'hunk'
              : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : ''}, line + '\n')))));
    }

    function showOutcome(r, verb) {
      clear(result);
      if (r.ok) {
        const b = r.body;
        const reload = b.reload || {};
        result.append(h('div', {class: 'msg good', id: 'config-ok'}, b.saved
          ? verb + ' and applied: ' + b.name + ' version ' + (b.version ? b.version.id : '') + (reload.ok ? ', active config ' + String(reload.hash).slice(0, 12) : '')
          : 'No change: the file already has this content.'));
        if (reload.ok === false) {
          result.append(h('div', {class: 'msg bad'}, 'Saved, but the reload failed:'), h('ul', {class: 'errors'}, reload.errors.map(e => h('li', {}, e))));
        }
        return true;
      }
      if (r.status === 422) {
        result.append(h('div', {class: 'msg bad', id: 'config-rejected'}, 'Not saved: ' + r.body.errors.length + ' problem'
          + (r.body.errors.length === 1 ? '' : 's') + '. Nothing was changed.'),
        h('ul', {class: 'errors', id: 'config-errors'}, r.body.errors.map(e => h('li', {}, h('code', {}, e)))));
      } else if (r.status === 409) {
        result.append(h('div', {class: 'msg bad', id: 'config-conflict'}, errorText(r)));
      } else {
        result.append(h('div', {class: 'msg bad'}, 'Not saved: ' + errorText(r)));
      }
      return false;
    }

    async function restore(v) {
      const r = await api('/config/files/' + encodeURIComponent(state.file) + '/versions/' + v.id + '/restore',
        {method: 'POST', body: {base_hash: state.hash}});
      if (showOutcome(r, 'Restored')) {
        state.dirty = false;
        const keep = clear(result).appendChild(h('div', {}));
        await open(state.file);
        showOutcome(r, 'Restored');
        keep.remove();
      }
    }

    save.addEventListener('click', async () => {
      save.disabled = true;
      clear(result).append(h('div', {class: 'msg muted'}, 'Validating…'));
      try {
        const r = await api('/config/files/' + encodeURIComponent(state.file), {method: 'PUT',
          body: {text: editor.value, base_hash: state.hash}});
        if (r.ok) {
          state.dirty = false;
          await open(state.file);
        }
        showOutcome(r, 'Saved');
      } finally {
        save.disabled = false;
      }
    });
    reloadBtn.addEventListener('click', () => { state.dirty = false; open(state.file); });

    (async () => {
      try {
        const overviewData = await get('/config');
        footer.textContent = overviewData.editable
          ? 'Editing ' + overviewData.directory + ' · versions kept in ' + overviewData.history_dir + ' (newest ' + overviewData.history_kept + ' per file)'
          : 'This gateway reads one file (GATEWAY_CONFIG_FILE): the config center edits the files of GATEWAY_CONFIG_DIR only.';
        for (const f of overviewData.files) {
          fileTabs.append(h('button', {type: 'button', 'data-file': f.name, onclick: () => open(f.name)}, f.name,
            f.exists ? '' : ' (new)'));
        }
        if (overviewData.files.length) await open(overviewData.files[0].name);
      } catch (e) {
        flash('Could not load the config center: ' + e.message, 'bad');
      }
    })();
  }

  // ---- start ----

  const PAGES = {overview: overview, topology: topology, keys: keysPage, live: livePage, config: configPage};

  async function start() {
    for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.dataset.page === PAGE);
    const session = await get('/session');
    csrf = session.csrf_token;
    document.getElementById('operator').textContent = session.operator;
    document.getElementById('logout').addEventListener('click', async () => {
      await api('/logout', {method: 'POST'});
      location.assign(BASE + '/login');
    });
    const main = document.getElementById('main');
    new MutationObserver(() => sizeBars(main)).observe(main, {childList: true, subtree: true});
    (PAGES[PAGE] || overview)(main);
  }

  start().catch(e => {
    if (e.message !== 'session ended') flash('The console could not start: ' + e.message, 'bad');
  });
})();
