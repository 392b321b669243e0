'use strict';
// The trace viewer: finds an instance, then draws its trace as a Gantt. The token lives in this page's memory
// only (never in storage or the URL). Everything is same-origin; no external resource is loaded.
(function () {
  const $ = (id) => document.getElementById(id);
  let token = null;

  async function get(path) {
    const response = await fetch('/api/v1' + path, { headers: { Authorization: 'Bearer ' + token } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.detail || ('HTTP ' + response.status));
    }
    return body;
  }

  function text(id, value) {
    $(id).textContent = value == null ? '' : String(value);
  }

  function flatten(nodes, depth, rows) {
    for (const node of nodes) {
      rows.push({ node, depth });
      flatten(node.children || [], depth + 1, rows);
    }
    return rows;
  }

  function drawTimeline(trace) {
    const rows = flatten(trace.roots, 0, []);
    const start = Math.min(...rows.map((r) => r.node.startMicros));
    const end = Math.max(...rows.map((r) => r.node.endMicros));
    const total = Math.max(1, end - start);
    const timeline = $('timeline');
    timeline.replaceChildren();
    for (const { node, depth } of rows) {
      const row = document.createElement('div');
      row.className = 'row';
      const label = document.createElement('div');
      label.className = 'label';
      label.style.paddingLeft = depth * 1.2 + 'em';
      label.textContent = node.name + '  ' + (node.durationMicros / 1000).toFixed(1) + ' ms';
      const lane = document.createElement('div');
      lane.className = 'lane';
      const bar = document.createElement('div');
      const kind = node.failure ? 'failed' : node.name.startsWith('queue wait') ? 'wait' : 'compute';
      bar.className = 'bar ' + kind;
      bar.dataset.name = node.name;
      bar.dataset.start = node.startMicros;
      bar.dataset.end = node.endMicros;
      bar.style.left = ((node.startMicros - start) / total) * 100 + '%';
      bar.style.width = (node.durationMicros / total) * 100 + '%';
      bar.title = node.name + ': ' + (node.durationMicros / 1000).toFixed(1) + ' ms'
        + (node.failure ? ' (' + node.failure + ': ' + (node.failureMessage || '') + ')' : '');
      lane.appendChild(bar);
      row.append(label, lane);
      timeline.appendChild(row);
    }
  }

  async function show(event) {
    event.preventDefault();
    token = $('token').value;
    text('error', '');
    const tenant = encodeURIComponent($('tenant').value.trim());
    const workflow = encodeURIComponent($('workflow').value.trim());
    const key = encodeURIComponent($('key').value.trim());
    try {
      const instance = await get('/tenants/' + tenant + '/workflows/' + workflow + '/instances/' + key);
      text('instance-key', instance.key);
      text('status', instance.status);
      text('state', JSON.stringify(instance.state, null, 2));
      const firings = $('firings');
      firings.replaceChildren(...(instance.recentFirings || []).map((f) => {
        const item = document.createElement('li');
        item.textContent = [f.rule, f.kind, f.at].filter((v) => v != null).join(' · ');
        return item;
      }));
      text('trace-id', instance.traceId);
      $('instance').hidden = false;
      drawTimeline(await get('/tenants/' + tenant + '/traces/' + encodeURIComponent(instance.traceId)));
      document.body.dataset.loaded = 'true';
    } catch (e) {
      text('error', e.message);
      document.body.dataset.loaded = 'error';
    }
  }

  $('find').addEventListener('submit', show);
})();
