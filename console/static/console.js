// powerchain console: what the pages do with JavaScript on. Every page
// reads without it; this adds live updates, the overview's instant filter
// and lazy racks, and the charts.
(function () {
  'use strict';
  var body = document.body;

  // Live updates: the server announces each refresh (Server-Sent Events);
  // a live page asks for what changed since the version it shows
  // (X-Fragment) and gets 204, or the elements to replace by id and the
  // device rows to replace by data-id.
  function replaceParts(f) {
    Object.keys(f.parts || {}).forEach(function (id) {
      var el = document.getElementById(id);
      if (!el) return;
      var keepOpen = el.tagName === 'DETAILS' ? el.open : null;
      el.outerHTML = f.parts[id];
      var now = document.getElementById(id);
      if (now && keepOpen !== null && now.tagName === 'DETAILS') now.open = keepOpen || now.open;
    });
    Object.keys(f.rows || {}).forEach(function (id) {
      var el = document.querySelector('tr[data-id="' + CSS.escape(id) + '"]');
      if (el) el.outerHTML = f.rows[id];
    });
  }
  var state = document.getElementById('live-state');
  function stamp(text) {
    if (state) state.textContent = text;
  }
  if (window.EventSource && body.dataset.live) {
    var busy = false, again = false;
    var update = function () {
      if (busy) { again = true; return; }
      busy = true;
      // A request that takes too long is given up (and asked again).
      var ctl = window.AbortController ? new AbortController() : null;
      var timer = ctl ? setTimeout(function () { ctl.abort(); }, 15000) : null;
      fetch(location.href, { headers: { 'X-Fragment': body.dataset.version }, cache: 'no-store', signal: ctl ? ctl.signal : undefined }).then(function (r) {
        return r.status === 200 ? r.json() : null;
      }).then(function (f) {
        stamp('live · ' + new Date().toLocaleTimeString());
        if (!f) return;
        replaceParts(f);
        body.dataset.version = f.version;
        document.dispatchEvent(new CustomEvent('pc:updated'));
      }).catch(function () { stamp('live · reconnecting'); again = true; }).then(function () {
        clearTimeout(timer);
        busy = false;
        if (again) { again = false; setTimeout(update, 200); }
      });
    };
    var es = new EventSource('/api/stream');
    es.addEventListener('refresh', function () { update(); document.dispatchEvent(new CustomEvent('pc:refresh')); });
    // Back after a break: catch up on what was missed.
    var lost = false;
    es.onopen = function () { if (lost) { lost = false; update(); } };
    es.onerror = function () { lost = true; stamp('live · reconnecting'); };
    stamp('live');
  }

  // Overview: the search filters the rows shown at once (the URL keeps
  // it); racks sent closed and empty (large fleets) are fetched when
  // opened, or when trouble starts in them.
  var filter = document.getElementById('filter');
  var groups = document.getElementById('devices');
  function lazyLoad(d) {
    if (!d || !d.dataset.lazy || d.dataset.loading) return;
    d.dataset.loading = '1';
    var u = new URL(location.href);
    u.searchParams.set('group', d.id);
    fetch(u, { headers: { 'X-Fragment': '0' }, cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (f) {
      var open = d.open;
      replaceParts(f);
      var now = document.getElementById(d.id);
      if (now) now.open = open || now.open;
      applyFilter();
    }).catch(function () { delete d.dataset.loading; });
  }
  function applyFilter() {
    if (!filter || !groups) return;
    var q = filter.value.trim().toLowerCase();
    groups.querySelectorAll('tbody tr').forEach(function (r) {
      r.classList.toggle('hidden', q !== '' && r.textContent.toLowerCase().indexOf(q) < 0);
    });
  }
  if (groups) {
    groups.addEventListener('toggle', function (e) {
      if (e.target.open) lazyLoad(e.target);
    }, true);
    document.addEventListener('pc:updated', function () {
      groups.querySelectorAll('details[data-lazy]').forEach(function (d) {
        if (d.querySelector('summary[data-worst]:not([data-worst="ok"])')) { d.open = true; lazyLoad(d); }
      });
      applyFilter();
    });
  }
  if (filter && groups) {
    var lazy = groups.querySelector('details[data-lazy]');
    var timer = null;
    filter.addEventListener('input', function () {
      var u = new URL(location.href);
      if (filter.value) u.searchParams.set('q', filter.value); else u.searchParams.delete('q');
      if (lazy) {
        // Racks not on the page: the server filters.
        clearTimeout(timer);
        timer = setTimeout(function () { location.replace(u); }, 500);
        return;
      }
      history.replaceState(null, '', u);
      applyFilter();
    });
  }

  // Charts (device and power pages): uPlot over the history, several
  // series per chart with an axis per unit, outages shaded, drag to zoom
  // (the finer data is fetched), double-click to zoom out.
  var charts = document.querySelectorAll('.chart[data-chart]');
  if (!charts.length || !window.uPlot) return;
  var css = getComputedStyle(document.documentElement);
  function colour(name) { return css.getPropertyValue(name).trim(); }
  var palette = [colour('--c1'), colour('--c2'), colour('--c3')];
  var dataEl = document.getElementById('chart-data');
  var initial = dataEl ? JSON.parse(dataEl.textContent) : {};

  function fmt(v) {
    if (v === null || v === undefined) return '–';
    return Math.abs(v) >= 100 ? v.toFixed(0) : String(Math.round(v * 100) / 100);
  }
  function outagePlugin(getOutages) {
    return {
      hooks: {
        drawClear: function (u) {
          var ctx = u.ctx;
          ctx.save();
          ctx.fillStyle = colour('--outage');
          getOutages().forEach(function (o) {
            var x0 = u.valToPos(o[0], 'x', true), x1 = u.valToPos(o[1], 'x', true);
            var l = Math.max(x0, u.bbox.left), r = Math.min(x1, u.bbox.left + u.bbox.width);
            if (r > l) ctx.fillRect(l, u.bbox.top, Math.max(r - l, 2), u.bbox.height);
          });
          ctx.restore();
        }
      }
    };
  }
  function makeChart(el, d) {
    var plotEl = el.querySelector('.plot');
    var outages = d.outages || [];
    var units = [];
    d.series.forEach(function (s) { if (units.indexOf(s.unit) < 0) units.push(s.unit); });
    var text = colour('--text'), grid = colour('--line');
    var axes = [{ stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } }];
    units.slice(0, 2).forEach(function (unit, i) {
      axes.push({
        scale: unit, side: i === 0 ? 3 : 1, stroke: text, grid: { show: i === 0, stroke: grid, width: 1 }, ticks: { stroke: grid },
        label: unit, labelSize: 18, size: 52,
        values: function (u, vals) { return vals.map(function (v) { return fmt(v); }); }
      });
    });
    var series = [{}];
    d.series.forEach(function (s, i) {
      series.push({
        label: s.label + ' (' + s.unit + ')', scale: units.indexOf(s.unit) < 2 ? s.unit : units[0],
        stroke: palette[i % palette.length], width: 2, spanGaps: false,
        value: function (u, v) { return v === null || v === undefined ? '–' : fmt(v) + ' ' + s.unit; }
      });
    });
    // The x axis spans the range asked for (or zoomed to), whatever
    // part of it has data.
    el._d = d;
    var scales = { x: { time: true, range: function () { return [el._d.from, el._d.to]; } } };
    units.forEach(function (unit) { scales[unit] = { auto: true }; });
    if (units.indexOf('%') >= 0) scales['%'] = { range: [0, 100] };
    var width = Math.max(plotEl.clientWidth, 280);
    var opts = {
      width: width, height: 220, series: series, axes: axes, scales: scales,
      cursor: { drag: { x: true, y: false, setScale: false } },
      legend: { live: true },
      plugins: [outagePlugin(function () { return outages; })],
      hooks: {
        setSelect: [function (u) {
          if (u.select.width < 4) return;
          var from = Math.floor(u.posToVal(u.select.left, 'x')), to = Math.ceil(u.posToVal(u.select.left + u.select.width, 'x'));
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          load(el, { from: from, to: to }).then(function (nd) { if (nd) { outages = nd.outages || []; set(u, nd); } });
        }]
      }
    };
    plotEl.textContent = '';
    var u = new uPlot(opts, [d.t].concat(d.series.map(function (s) { return s.values; })), plotEl);
    el._plot = u;
    el._setOutages = function (o) { outages = o; };
    plotEl.addEventListener('dblclick', function () {
      load(el, {}).then(function (nd) { if (nd) { outages = nd.outages || []; set(u, nd); } });
    });
    return u;
  }
  function set(u, d) {
    var el = u.root.closest('.chart');
    el._d = d;
    el.dataset.from = d.from;
    el.dataset.to = d.to;
    u.setData([d.t].concat(d.series.map(function (s) { return s.values; })));
    stats(el, d);
  }
  function stats(el, d) {
    d.series.forEach(function (s) {
      var row = el.querySelector('tr[data-var="' + CSS.escape(s.var) + '"]');
      if (!row) return;
      row.querySelector('.min').textContent = fmt(s.min);
      row.querySelector('.max').textContent = fmt(s.max);
      row.querySelector('.last').textContent = fmt(s.last);
    });
  }
  function load(el, extra) {
    var u = new URL(el.dataset.src, location.href);
    u.searchParams.set('range', body.dataset.range || '24h');
    Object.keys(extra).forEach(function (k) { u.searchParams.set(k, extra[k]); });
    return fetch(u, { cache: 'no-store' }).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
  }
  charts.forEach(function (el) {
    var d = initial[el.dataset.chart];
    if (d && d.t && d.t.length) {
      makeChart(el, d);
      el.dataset.from = d.from;
      el.dataset.to = d.to;
    }
  });
  // Range links switch the charts in place (and the URL).
  document.querySelectorAll('.ranges a[data-range]').forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      body.dataset.range = a.dataset.range;
      document.querySelectorAll('.ranges a[data-range]').forEach(function (b) {
        if (b === a) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
      });
      history.replaceState(null, '', a.href);
      charts.forEach(function (el) {
        load(el, {}).then(function (nd) {
          if (!nd) return;
          if (el._plot) { el._setOutages(nd.outages || []); set(el._plot, nd); } else if (nd.t.length) { makeChart(el, nd); stats(el, nd); }
        });
      });
    });
  });
  // The charts of the last hour follow the refreshes (at most every 15 s).
  var lastLoad = Date.now();
  document.addEventListener('pc:refresh', function () {
    if ((body.dataset.range || '24h') !== '1h' || Date.now() - lastLoad < 15000) return;
    lastLoad = Date.now();
    charts.forEach(function (el) {
      if (!el._plot) return;
      load(el, {}).then(function (nd) { if (nd) { el._setOutages(nd.outages || []); set(el._plot, nd); } });
    });
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (el) {
      if (el._plot) el._plot.setSize({ width: Math.max(el.querySelector('.plot').clientWidth, 280), height: 220 });
    });
  });
})();
