extension Page {
    /// The page's behaviour: the catalog becomes a picker and controls; every change is checked
    /// by the server (the CLI's own parsing) and shows the command, the URL and anything already
    /// computed; Run streams the run's events (SSE) into the figure, verdicts and progress.
    static let script = #"""
        'use strict';
        const $ = (id) => document.getElementById(id);
        const state = { catalog: null, entry: null, scale: 'tiny', settings: {}, run: null, source: null, timer: \#
        null, seq: 0, valid: false, live: false };
        const mine = new Set(JSON.parse(sessionStorage.getItem('genlab-runs') || '[]'));

        async function api(path, body) {
          const init = body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, \#
        body: JSON.stringify(body) };
          const r = await fetch(path, init);
          return { ok: r.ok, body: await r.json() };
        }

        function el(tag, attrs, text) {
          const e = document.createElement(tag);
          for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
          if (text !== undefined) e.textContent = text;
          return e;
        }

        // The view in the URL: #e=FOLDER&s=SCALE&KEY=TEXT… (only the settings changed from the scale's).
        function readHash() {
          const p = new URLSearchParams(location.hash.slice(1));
          const settings = {};
          for (const [k, v] of p) if (k !== 'e' && k !== 's') settings[k] = v;
          return { experiment: p.get('e'), scale: p.get('s'), settings };
        }
        function writeHash() {
          const p = new URLSearchParams({ e: state.entry.folder, s: state.scale });
          for (const [k, v] of Object.entries(state.settings)) p.set(k, v);
          history.replaceState(null, '', '#' + p.toString());
        }

        function findEntry(folder) {
          for (const g of state.catalog.groups) for (const e of g.experiments) if (e.folder === folder) return e;
          return state.catalog.groups[0].experiments[0];
        }

        function choose(folder, scale, settings) {
          state.entry = findEntry(folder);
          state.scale = state.catalog.scales.includes(scale) ? scale : 'tiny';
          state.settings = settings;
          $('experiment').value = state.entry.folder;
          $('scale').value = state.scale;
          $('claim').textContent = state.entry.claim || state.entry.label;
          renderControls();
          changed();
        }

        function scaleValue(c) { const v = c.values[state.scale]; return v === null || v === undefined ? '' : v; }

        function renderControls() {
          const box = $('controls');
          box.replaceChildren();
          for (const c of state.entry.parameters) box.appendChild(control(c));
        }

        function control(c) {
          const div = el('div', { class: 'control', 'data-key': c.key });
          const label = el('label', { for: 'p-' + c.key });
          label.appendChild(el('span', { class: 'flag' }, c.flag));
          if (c.help) label.appendChild(el('span', { class: 'help' }, c.help));
          div.appendChild(label);
          const value = c.key in state.settings ? state.settings[c.key] : scaleValue(c);
          const set = (text) => { setSetting(c, text); };
          if (c.kind === 'bool') {
            const box = el('input', { type: 'checkbox', id: 'p-' + c.key });
            box.checked = value === 'true';
            box.addEventListener('change', () => set(box.checked ? 'true' : 'false'));
            div.appendChild(box);
          } else if ((c.kind === 'integer' || c.kind === 'number') && c.min !== null && c.max !== null && c.min !== \#
        undefined) {
            div.appendChild(slider(c, value, set));
          } else {
            const input = el('input', { type: 'text', id: 'p-' + c.key, list: 'l-' + c.key, value });
            input.addEventListener('input', () => set(input.value));
            const list = el('datalist', { id: 'l-' + c.key });
            for (const v of new Set(Object.values(c.values).filter((v) => v !== null))) list.appendChild(el('option', \#
        { value: v }));
            div.append(input, list);
          }
          return div;
        }

        // A number: a slider over the range the scales span, and the exact value beside it.
        function slider(c, value, set) {
          const row = el('div', { class: 'row' });
          const step = c.kind === 'integer' ? 1 : (c.max - c.min) / 100;
          const range = el('input', { type: 'range', id: 'r-' + c.key, min: c.min, max: c.max, step, value, \#
        'aria-label': c.flag + ' slider' });
          const number = el('input', { type: 'number', id: 'p-' + c.key, step: c.kind === 'integer' ? 1 : 'any', \#
        value });
          range.addEventListener('input', () => { number.value = range.value; set(range.value); });
          number.addEventListener('input', () => { range.value = number.value; set(number.value); });
          row.append(range, number);
          return row;
        }

        function setSetting(c, text) {
          if (text === scaleValue(c)) delete state.settings[c.key]; else state.settings[c.key] = text;
          changed();
        }

        function request() { return { experiment: state.entry.folder, scale: state.scale, settings: state.settings }; }

        // Every change: the URL, then (debounced) the server's check: the CLI's error, or the command and what \#
        is computed.
        function changed() {
          writeHash();
          clearTimeout(state.timer);
          state.timer = setTimeout(check, 200);
        }

        async function check() {
          const seq = ++state.seq;
          const r = await api('/api/check', request());
          if (seq !== state.seq) return;
          state.valid = r.ok && !r.body.error;
          showError(state.valid ? null : r.body.error);
          $('run').disabled = !state.valid || state.live;
          if (!state.valid) return;
          $('command').textContent = r.body.command;
          if (state.live) return;
          if (r.body.result) {
            draw(r.body.result);
            $('status').textContent = r.body.result.partial ? (r.body.points > 0 ? 'from the points an earlier run \#
        left: ' + r.body.points : 'from what an earlier, cancelled run finished') : 'computed before (from the \#
        cache)';
            $('points-count').textContent = r.body.points;
            $('progress').value = r.body.result.partial ? 0 : 1;
          } else {
            clearView('not run yet at these settings');
          }
        }

        function showError(message) {
          $('error').hidden = !message;
          $('error').textContent = message || '';
        }

        function clearView(status) {
          for (const id of ['figures', 'verdicts', 'notes', 'files', 'points']) $(id).replaceChildren();
          $('status').textContent = status;
          $('points-count').textContent = '0';
          $('progress').value = 0;
        }

        async function run() {
          const r = await api('/api/runs', request());
          if (!r.ok) { showError(r.body.error); return; }
          mine.add(r.body.id);
          sessionStorage.setItem('genlab-runs', JSON.stringify([...mine]));
          follow(r.body.id);
          pollQueue();
        }

        async function cancel() {
          if (!state.run) return;
          $('cancel').disabled = true;
          await api('/api/runs/' + state.run + '/cancel', {});
        }

        // The run's event stream: status, progress, each point, the partial and the final result.
        function follow(id) {
          if (state.source) state.source.close();
          clearView('starting');
          state.run = id;
          state.live = true;
          $('run').disabled = true;
          $('cancel').disabled = false;
          const source = new EventSource('/api/runs/' + id + '/events');
          state.source = source;
          const on = (type, f) => source.addEventListener(type, (e) => f(JSON.parse(e.data)));
          on('status', status);
          on('progress', (p) => { $('progress').value = p.fraction; });
          on('point', point);
          on('partial', (r) => { if (r.figures) draw(r); });
          on('result', draw);
          on('end', () => { source.close(); state.source = null; state.live = false; $('cancel').disabled = true; \#
        $('run').disabled = !state.valid; pollQueue(); });
        }

        function status(s) {
          const where = s.state === 'queued' ? ' (' + s.position + ' ahead in the queue)' : '';
          $('status').textContent = s.state + where + (s.message ? ': ' + s.message : '');
          $('status').dataset.state = s.state;
        }

        function point(p) {
          $('points-count').textContent = p.n;
          const v = p.values;
          const error = v.testError !== undefined ? ', test error ' + (100 * v.testError).toFixed(1) + '%' : '';
          const li = el('li', {}, '#' + p.n + ' ' + p.key + error);
          $('points').prepend(li);
          while ($('points').children.length > 8) $('points').lastChild.remove();
        }

        function draw(result) {
          const figures = $('figures');
          figures.replaceChildren();
          for (const f of result.figures) {
            const fig = el('figure', { 'data-file': f.file });
            fig.innerHTML = f.svg;
            fig.appendChild(el('figcaption', {}, f.title + (result.partial ? ' (so far)' : '')));
            figures.appendChild(fig);
          }
          drawVerdicts(result);
          $('notes').replaceChildren(...result.notes.map((n) => el('li', {}, n)));
          const files = $('files');
          files.replaceChildren();
          for (const f of result.files) { files.appendChild(el('a', { href: '/files/' + f }, f.split('/').pop())); \#
        files.append(' '); }
        }

        function drawVerdicts(result) {
          const box = $('verdicts');
          box.replaceChildren();
          if (result.partial) box.appendChild(el('p', { class: 'partial' }, 'Verdicts from the points finished so \#
        far; they change as points arrive.'));
          for (const v of result.verdicts) {
            const d = el('div', { class: 'verdict ' + v.label.replace(' ', '-') });
            d.appendChild(el('span', { class: 'label' }, '[' + v.label + '] '));
            d.appendChild(el('span', { class: 'kind' }, '(' + v.kind + ') '));
            d.appendChild(el('span', { class: 'claim' }, v.claim));
            d.appendChild(el('div', { class: 'evidence' }, v.evidence));
            if (v.mde !== null && v.mde !== undefined) d.appendChild(el('div', { class: 'mde' }, 'minimum detectable \#
        effect: ' + v.mde.toPrecision(3)));
            box.appendChild(d);
          }
        }

        async function pollQueue() {
          const r = await api('/api/runs');
          if (!r.ok) return;
          const list = $('queue');
          list.replaceChildren(...r.body.slice(-12).reverse().map((q) => {
            const li = el('li', { class: mine.has(q.id) ? 'mine' : '' }, q.id + ' ' + q.experiment + ' (' + q.scale + \#
        '): ' + q.state + (mine.has(q.id) ? ' (this tab)' : ''));
            if (mine.has(q.id)) { li.title = 'follow this run'; li.addEventListener('click', () => follow(q.id)); }
            return li;
          }));
        }

        async function init() {
          state.catalog = (await api('/api/experiments')).body;
          for (const g of state.catalog.groups) {
            const group = el('optgroup', { label: g.title });
            for (const e of g.experiments) group.appendChild(el('option', { value: e.folder }, e.folder + (e.live ? \#
        '' : ' (figure at the end)')));
            $('experiment').appendChild(group);
          }
          for (const s of state.catalog.scales) $('scale').appendChild(el('option', { value: s }, s));
          $('experiment').addEventListener('change', () => choose($('experiment').value, $('scale').value, {}));
          $('scale').addEventListener('change', () => choose($('experiment').value, $('scale').value, {}));
          $('run').addEventListener('click', run);
          $('cancel').addEventListener('click', cancel);
          const h = readHash();
          choose(h.experiment || 'double-descent-width', h.scale || 'tiny', h.settings);
          setInterval(pollQueue, 1500);
          await pollQueue();
          // A reloaded tab follows its own run if one is still queued or running.
          const runs = (await api('/api/runs')).body;
          const open = runs.filter((q) => mine.has(q.id) && (q.state === 'queued' || q.state === 'running')).pop();
          if (open) follow(open.id);
        }
        init();
        """#
}
