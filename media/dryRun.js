// Dry-run panel script: filter, search, keyboard, and messages to the extension. The table is
// rendered by the extension (client/src/panel/html.ts); this only shows, hides and reports.
(function () {
  const vscode = acquireVsCodeApi();
  const state = Object.assign({ search: '', hidden: [], onlyChanges: false }, vscode.getState() || {});
  const $ = (sel) => document.querySelector(sel);
  const search = $('#search');
  const onlyChanges = $('#onlyChanges');

  function apply() {
    const q = state.search.trim().toLowerCase();
    const hidden = new Set(state.hidden);
    document.querySelectorAll('button.filter').forEach((b) => b.setAttribute('aria-pressed', String(!hidden.has(b.dataset.kind))));
    let shown = 0;
    document.querySelectorAll('section.target').forEach((sec) => {
      const targetHit = !q || (sec.dataset.search || '').includes(q);
      let rows = 0;
      let changes = 0;
      sec.querySelectorAll('tr.change').forEach((tr) => {
        const visible = !hidden.has(tr.dataset.kind) && (targetHit || (tr.dataset.search || '').includes(q));
        tr.hidden = !visible;
        if (visible) rows++;
        if (visible && tr.dataset.kind !== 'up-to-date') changes++;
      });
      const hasTable = !!sec.querySelector('table');
      const createRepo = sec.dataset.createRepo === 'true';
      let visible = targetHit || rows > 0;
      if (hasTable && rows === 0) visible = false;
      if (state.onlyChanges && changes === 0 && !createRepo) visible = false;
      sec.hidden = !visible;
      if (visible) shown++;
    });
    const empty = $('#empty');
    if (empty) empty.hidden = shown > 0 || document.querySelectorAll('section.target').length === 0;
    $('#replicate').disabled = shown === 0;
    vscode.setState(state);
  }

  // The shown targets and, of each, the shown rows: the extension pushes exactly these.
  let version = 0;
  function shownRows() {
    return Array.from(document.querySelectorAll('section.target:not([hidden])')).map((s) => ({
      t: Number(s.dataset.t),
      rows: Array.from(s.querySelectorAll('tr.change:not([hidden])')).map((tr) => Number(tr.dataset.row)),
    }));
  }

  search.value = state.search;
  onlyChanges.checked = state.onlyChanges;
  search.addEventListener('input', () => { state.search = search.value; apply(); });
  onlyChanges.addEventListener('change', () => { state.onlyChanges = onlyChanges.checked; apply(); });
  document.querySelectorAll('button.filter').forEach((b) => b.addEventListener('click', () => {
    const h = new Set(state.hidden);
    if (h.has(b.dataset.kind)) h.delete(b.dataset.kind); else h.add(b.dataset.kind);
    state.hidden = Array.from(h);
    apply();
  }));
  $('#refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  $('#replicate').addEventListener('click', () => vscode.postMessage({ type: 'replicate', version, shown: shownRows() }));
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a.open');
    if (a) { e.preventDefault(); vscode.postMessage({ type: 'open', file: a.dataset.file, line: Number(a.dataset.line) }); }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && document.activeElement !== search) { e.preventDefault(); search.focus(); search.select(); }
    else if (e.key === 'Escape' && document.activeElement === search && search.value) { search.value = ''; state.search = ''; apply(); }
    else if ((e.key === 'j' || e.key === 'k') && document.activeElement !== search) {
      // j/k move between targets, like a reader.
      const secs = Array.from(document.querySelectorAll('section.target:not([hidden])'));
      if (!secs.length) return;
      const cur = secs.indexOf(document.activeElement);
      const next = secs[Math.max(0, Math.min(secs.length - 1, cur + (e.key === 'j' ? 1 : -1)))] || secs[0];
      next.focus();
      next.scrollIntoView({ block: 'nearest' });
    }
  });
  window.addEventListener('message', (e) => {
    const m = e.data;
    if (m && m.type === 'render') { version = m.version || 0; $('#plan').innerHTML = m.html; apply(); }
    if (m && m.type === 'busy') { $('#refresh').disabled = !!m.busy; }
  });
  apply();
  vscode.postMessage({ type: 'ready' });
})();
