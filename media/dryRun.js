// Dry-run panel script: filter, search, collapse, keyboard, and messages to the extension. The
// table is rendered by the extension (client/src/panel/html.ts); this only shows, hides and reports.
// Collapsing a target only folds it: its rows still count as shown (the header says how many).
(function () {
  const vscode = acquireVsCodeApi();
  const state = Object.assign({ search: '', hidden: [], onlyChanges: false, collapsed: [], drift: false }, vscode.getState() || {});
  // A target is known by project and URL across renders (its index changes with the plan).
  const keyOf = (sec) => `${sec.dataset.project}\u0000${sec.dataset.url}`;
  const LABEL = { create: 'create', 'fast-forward': 'update', force: 'force', delete: 'delete', 'up-to-date': 'up to date', rejected: 'rejected' };
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
      // What the (possibly collapsed) target holds of the shown rows.
      const byKind = {};
      sec.querySelectorAll('tr.change:not([hidden])').forEach((tr) => { byKind[tr.dataset.kind] = (byKind[tr.dataset.kind] || 0) + 1; });
      const counts = sec.querySelector('.counts');
      if (counts) counts.textContent = Object.keys(LABEL).filter((k) => byKind[k]).map((k) => `${byKind[k]} ${LABEL[k]}`).join(', ');
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

  /** Folds the targets whose keys are in state.collapsed (after each render too). */
  function applyCollapsed() {
    const collapsed = new Set(state.collapsed);
    document.querySelectorAll('section.target').forEach((sec) => {
      const d = sec.querySelector('details.target-body');
      if (d) d.open = !collapsed.has(keyOf(sec));
    });
  }
  function setCollapsed(secs, collapse) {
    const c = new Set(state.collapsed);
    secs.forEach((sec) => (collapse ? c.add(keyOf(sec)) : c.delete(keyOf(sec))));
    state.collapsed = Array.from(c);
    applyCollapsed();
    vscode.setState(state);
  }
  // A click or Enter on a summary: remember it ('toggle' does not bubble, so capture it).
  document.addEventListener('toggle', (e) => {
    const d = e.target;
    if (!d.classList || !d.classList.contains('target-body')) return;
    const sec = d.closest('section.target');
    const has = state.collapsed.includes(keyOf(sec));
    if (d.open === has) setCollapsed([sec], !d.open);
  }, true);
  $('#collapseAll').addEventListener('click', () => setCollapsed(Array.from(document.querySelectorAll('section.target')), true));
  $('#expandAll').addEventListener('click', () => setCollapsed(Array.from(document.querySelectorAll('section.target')), false));

  // Drift: the mirror's current state next to each target's plan (asked of the extension, which
  // runs the engine's status check); a badge in the header, removed when the toggle is off.
  const showDrift = $('#showDrift');
  function clearDrift() { document.querySelectorAll('.badge.drift').forEach((b) => b.remove()); }
  function askDrift() { if (state.drift) { clearDrift(); vscode.postMessage({ type: 'drift', version }); } }
  function renderDrift(items) {
    clearDrift();
    if (!state.drift) return;
    for (const it of items) {
      const h = document.querySelector(`section.target[data-t="${Number(it.t)}"] h2`);
      if (!h) continue;
      const b = document.createElement('span');
      b.className = `badge drift h-${String(it.health).replace(/[^a-z-]/g, '')}`;
      b.textContent = it.text;
      b.title = it.title;
      h.insertBefore(b, h.querySelector('.counts'));
    }
  }
  showDrift.checked = state.drift;
  showDrift.addEventListener('change', () => { state.drift = showDrift.checked; vscode.setState(state); if (state.drift) askDrift(); else clearDrift(); });

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
      // j/k move between targets, like a reader; the focus lands on the header, where Enter or
      // Space folds and unfolds the target.
      const secs = Array.from(document.querySelectorAll('section.target:not([hidden])'));
      if (!secs.length) return;
      const at = document.activeElement && document.activeElement.closest ? document.activeElement.closest('section.target') : null;
      const cur = secs.indexOf(at);
      const next = secs[Math.max(0, Math.min(secs.length - 1, cur + (e.key === 'j' ? 1 : -1)))] || secs[0];
      const summary = next.querySelector('summary');
      (summary || next).focus();
      next.scrollIntoView({ block: 'nearest' });
    }
  });
  window.addEventListener('message', (e) => {
    const m = e.data;
    if (m && m.type === 'render') { version = m.version || 0; $('#plan').innerHTML = m.html; applyCollapsed(); apply(); askDrift(); }
    if (m && m.type === 'drift' && m.version === version) renderDrift(m.items || []);
    if (m && m.type === 'busy') { $('#refresh').disabled = !!m.busy; }
  });
  applyCollapsed();
  apply();
  vscode.postMessage({ type: 'ready' });
})();
