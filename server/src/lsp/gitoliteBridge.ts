// The engine requests (protocol.ts) for a gitolite home, answered in gitolite's terms: the
// remotes are this host's copies (sync mode, redirectOK, the repos each receives), the dry run
// is `git push --mirror --dry-run` per repo × copy with the repos this host skips, Replicate runs
// the pushes `git-replication mirror push` runs (and, like gitolite, keeps a failure in
// gl-copy-<copy>.status), and the queue lists pushes in flight, failed copies with the error
// gitolite recorded, and nosync copies waiting for a manual push.
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../protocol';
import type {
  CheckDiagnostic, DismissParams, ExactRefResult, PlanParams, PlanRefChange, PlanResult, PlanTarget, ProjectSummary, QueueSnapshot, QueueTask,
  RemoteSummary, RetryParams, StartParams, StartResult,
} from '../protocol';
import { loadMirrorSite, modeOf, runMirrors, selectMirrors, type MirrorResult, type MirrorSelection, type MirrorSite, type MirrorTarget, type RefChange } from '../engine/gitolite/mirror';
import { loadGitoliteSite, type GitoliteSite } from '../gitolite/mirroringSite';
import { toDiagnostic } from '../gitolite/lsp';
import { LEVEL } from '../service/diagnostics';
import { DiagnosticSeverity } from '../service/lspConstants';
import { diskWorkspace } from '../service/workspace';

/** A gitolite home: its .gitolite.rc beside .gitolite/ or repositories/ (a gitolite-admin clone has neither). */
export function isGitoliteHome(dir: string): boolean {
  return existsSync(join(dir, '.gitolite.rc')) && (existsSync(join(dir, '.gitolite')) || existsSync(join(dir, 'repositories')));
}

/** A gitolite-admin clone: conf/gitolite.conf, and no gitolite home around it. */
export function isGitoliteAdminClone(dir: string): boolean {
  return existsSync(join(dir, 'conf', 'gitolite.conf')) && !isGitoliteHome(dir);
}

export const ADMIN_CLONE_EXPLANATION = (dir: string) =>
  `${dir} is a gitolite-admin clone: gitolite mirrors from the server, with the hosting user's ssh keys and aliases, so replication runs there, not here (open the gitolite home on the server, or run 'git-replication mirror push --gitolite HOME' there); diagnostics, completion and hover work here`;

const KIND: Record<RefChange, PlanRefChange['kind']> = { create: 'create', 'fast-forward': 'fast-forward', forced: 'force', delete: 'delete', rejected: 'rejected', 'up-to-date': 'up-to-date' };
const pairKey = (repo: string, copy: string) => `${repo}\0${copy}`;
const url = (t: { repo: string; copy: string }) => `${t.copy}:${t.repo}`;

function planTarget(r: MirrorResult): PlanTarget {
  return {
    project: r.repo,
    remote: r.copy,
    url: url(r),
    createRepository: !!r.createOnCopy,
    ...(r.status === 'failed' ? { unreachable: r.error ?? 'git push failed' } : {}),
    changes: r.refs.map((x) => ({
      ref: x.ref, remoteRef: x.ref, kind: KIND[x.change], oldId: x.oldId ?? null, newId: x.change === 'delete' ? null : x.newId ?? null,
      ...(x.change === 'rejected' ? { reason: x.summary.replace(/^\[rejected\]\s*/, '').replace(/^\((.*)\)$/, '$1') } : {}),
    })),
    ...(r.type === 'nosync' ? { note: `nosync copy: gitolite never pushes it by itself ("manual mirror push pending for '${r.copy}'"); Replicate pushes it` } : {}),
  };
}

/** gitolite's status file without its timestamp and TID columns. */
function statusText(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/^[^\t]*\t[^\t]*\t/, '')).filter(Boolean).join('\n');
  } catch {
    return '';
  }
}

export class GitoliteBridge {
  private running = new Map<string, QueueTask>();
  private failed: QueueTask[] = [];
  /** Pushes this session finished: the refs they pushed, so a nosync copy is pending again only when its repo moved. */
  private pushed = new Map<string, string>();
  private seq = 0;

  constructor(private readonly changed: () => void) {}

  private model(home: string): { site: MirrorSite; model?: GitoliteSite } {
    const site = loadMirrorSite(home);
    let model: GitoliteSite | undefined;
    try {
      model = loadGitoliteSite(home, diskWorkspace);
    } catch {
      model = undefined;
    }
    return { site, model };
  }

  private diagnostics(model: GitoliteSite | undefined): CheckDiagnostic[] {
    const out: CheckDiagnostic[] = [];
    for (const g of model?.diagnostics ?? []) {
      const d = toDiagnostic(g, undefined);
      if (!d) continue;
      out.push({ file: g.file, line: g.range.start.line + 1, column: g.range.start.character + 1, endLine: g.range.end.line + 1, endColumn: g.range.end.character + 1, severity: LEVEL[d.severity ?? DiagnosticSeverity.Error], code: g.code, message: g.message });
    }
    return out;
  }

  private select(site: MirrorSite, p: PlanParams & { all?: boolean }): MirrorSelection {
    if (site.errors.length) throw new EngineError('config-refused', `the gitolite configuration has errors; nothing is mirrored\n${site.errors.join('\n')}`);
    if (!site.hostname) throw new EngineError('failed', `HOSTNAME not set in ${join(site.home, '.gitolite.rc')}: gitolite mirroring is off on this host`);
    return selectMirrors(site, { repos: p.all ? [] : p.projects, copies: p.remotes });
  }

  /** This host's copies, each with the repos it receives from here. */
  remotes(home: string): RemoteSummary[] {
    const { site, model } = this.model(home);
    if (!site.hostname) throw new EngineError('failed', `HOSTNAME not set in ${join(home, '.gitolite.rc')}: gitolite mirroring is off on this host, so it has no copies to push to`);
    const diags = this.diagnostics(model);
    const byCopy = new Map<string, { repos: NonNullable<RemoteSummary['gitolite']>['repos']; lines: Array<{ file: string; line: number }> }>();
    for (const r of site.repos) {
      if (modeOf(site.hostname, r).mode !== 'master') continue;
      const m = model?.repos.find((x) => x.name === r.repo) ?? model?.repos.find((x) => x.isPattern && matches(x.name, r.repo));
      for (const [copy, mode] of r.copies) {
        if (copy === site.hostname) continue;
        let c = byCopy.get(copy);
        if (!c) byCopy.set(copy, (c = { repos: [], lines: [] }));
        c.repos.push({ name: r.repo, mode, redirectOK: !!m && (m.redirectOK === 'all' || m.redirectOK.includes(copy)) });
        for (const o of m?.origin.copies ?? []) if (!c.lines.some((l) => l.file === o.file && l.line === o.line)) c.lines.push(o);
      }
    }
    return [...byCopy].sort(([a], [b]) => (a < b ? -1 : 1)).map(([copy, c]) => {
      const blocks = (c.lines.length ? c.lines : [{ file: model?.confPath ?? join(home, '.gitolite', 'conf', 'gitolite.conf'), line: 0 }]).map((l) => {
        const on = diags.filter((d) => d.file === l.file && d.line === l.line + 1);
        return { file: l.file, line: l.line + 1, errors: on.filter((d) => d.severity === 'error').length, warnings: on.filter((d) => d.severity === 'warning').length };
      });
      const modes = [...new Set(c.repos.map((r) => r.mode))];
      const redirect = c.repos.filter((r) => r.redirectOK).map((r) => r.name);
      return {
        name: copy,
        file: blocks[0].file,
        line: blocks[0].line,
        urls: [{ template: `${copy}:<repo>`, example: `${copy}:${c.repos[0].name}` }],
        nonDefaults: [
          { key: 'sync mode', value: modes.length === 1 ? modes[0] : modes.join(', ') },
          { key: 'redirectOK', value: redirect.length === 0 ? 'no' : redirect.length === c.repos.length ? 'yes' : redirect.join(' ') },
        ],
        projectCount: c.repos.length,
        errors: blocks.reduce((n, b) => n + b.errors, 0),
        warnings: blocks.reduce((n, b) => n + b.warnings, 0),
        blocks,
        gitolite: { repos: c.repos },
      };
    });
  }

  projects(home: string): ProjectSummary[] {
    const { site } = this.model(home);
    if (!site.hostname) return site.repos.map((r) => ({ name: r.repo, remotes: [] }));
    return site.repos.map((r) => ({
      name: r.repo,
      remotes: modeOf(site.hostname, r).mode === 'master' ? [...r.copies.keys()].filter((c) => c !== site.hostname).sort() : [],
    }));
  }

  async plan(home: string, p: PlanParams): Promise<PlanResult> {
    const { site, model } = this.model(home);
    const diagnostics = this.diagnostics(model);
    if (site.errors.length) return { site: home, siteKind: 'gitolite', targets: [], diagnostics, refused: true };
    if (!site.hostname) return { site: home, siteKind: 'gitolite', targets: [], diagnostics, refused: false, skipped: [{ project: '(every repository)', reason: `HOSTNAME not set in ${join(home, '.gitolite.rc')}: gitolite mirroring is off on this host` }] };
    const sel = this.select(site, p);
    const results = await runMirrors(site, sel, true);
    return {
      site: home, siteKind: 'gitolite', diagnostics, refused: false,
      targets: results.map(planTarget),
      skipped: sel.refused.map((x) => ({ project: x.repo, reason: x.reason })),
    };
  }

  private pending(site: MirrorSite): QueueTask[] {
    const out: QueueTask[] = [];
    if (!site.hostname) return out;
    for (const r of site.repos) {
      if (modeOf(site.hostname, r).mode !== 'master' || r.onDisk === false) continue;
      for (const [copy, mode] of r.copies) {
        if (mode !== 'nosync' || copy === site.hostname) continue;
        const k = pairKey(r.repo, copy);
        if (this.pushed.has(k) && this.pushed.get(k) === refsStamp(site, r.repo)) continue;
        if ([...this.running.values()].some((t) => t.project === r.repo && t.remote === copy)) continue;
        out.push({ id: `gl-nosync:${r.repo}:${copy}`, project: r.repo, remote: copy, url: `${copy}:${r.repo}`, refs: ['..all..'], state: 'waiting', retries: 0, lastError: `manual mirror push pending for '${copy}' (a nosync copy: gitolite never pushes it by itself)` });
      }
    }
    return out;
  }

  /** Failed copies gitolite recorded (gl-copy-<copy>.status), unless this session has the same failure. */
  private recorded(site: MirrorSite): QueueTask[] {
    const out: QueueTask[] = [];
    for (const r of site.repos) {
      const dir = join(site.repoBase, `${r.repo}.git`);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names.sort()) {
        const m = /^gl-copy-(.+)\.status$/.exec(n);
        if (!m) continue;
        if (this.failed.some((t) => t.project === r.repo && t.remote === m[1]) || [...this.running.values()].some((t) => t.project === r.repo && t.remote === m[1])) continue;
        out.push({ id: `gl-status:${r.repo}:${m[1]}`, project: r.repo, remote: m[1], url: `${m[1]}:${r.repo}`, refs: ['..all..'], state: 'failed', retries: 0, lastError: statusText(join(dir, n)) || 'the last mirror push failed (gitolite kept its status file)' });
      }
    }
    return out;
  }

  queue(home: string): QueueSnapshot {
    let site: MirrorSite;
    try {
      site = loadMirrorSite(home);
    } catch {
      return { pending: 0, inFlight: this.running.size, failed: this.failed.length, tasks: [...this.running.values(), ...this.failed] };
    }
    const pending = this.pending(site);
    const recorded = this.recorded(site);
    const failed = [...this.failed, ...recorded];
    return { pending: pending.length, inFlight: this.running.size, failed: failed.length, tasks: [...this.running.values(), ...pending, ...failed] };
  }

  /** Runs targets now: each is a task in the queue until its push is done. */
  private async run(site: MirrorSite, sel: MirrorSelection, includeNosync: boolean, wait: boolean): Promise<StartResult> {
    const targets = sel.targets.filter((t) => includeNosync || t.type !== 'nosync');
    if (targets.length === 0) return { scheduled: 0, taskIds: [], output: ['Nothing to mirror'] };
    const ids = new Map<string, string>();
    for (const t of targets) {
      const id = `gl:${++this.seq}:${t.repo}:${t.copy}`;
      ids.set(pairKey(t.repo, t.copy), id);
      this.failed = this.failed.filter((f) => !(f.project === t.repo && f.remote === t.copy));
      this.running.set(id, { id, project: t.repo, remote: t.copy, url: url(t), refs: ['..all..'], state: 'running', retries: 0 });
    }
    this.changed();
    const output: string[] = [];
    const done = runMirrors(site, { ...sel, targets }, false, {
      includeNosync: true,
      onResult: (r) => {
        const id = ids.get(pairKey(r.repo, r.copy))!;
        const task = this.running.get(id)!;
        this.running.delete(id);
        if (r.status === 'failed') this.failed.unshift({ ...task, state: 'failed', lastError: r.error ?? 'git push failed' });
        else this.pushed.set(pairKey(r.repo, r.copy), refsStamp(site, r.repo));
        output.push(`Mirror ${r.repo} -> ${r.copy} (${r.type}): ${r.status === 'failed' ? `FAILED! ${r.error ?? ''}` : `Succeeded! (${r.refs.filter((x) => x.change !== 'up-to-date').length} refs updated)`}`);
        this.changed();
      },
    });
    if (wait) await done;
    else done.catch(() => undefined);
    return { scheduled: targets.length, taskIds: [...ids.values()], ...(wait ? { output } : {}) };
  }

  async start(home: string, p: StartParams): Promise<StartResult> {
    const { site } = this.model(home);
    if (p.changes !== undefined) return this.pushShown(home, site, p.changes);
    const sel = this.select(site, p);
    // Copies picked by hand are pushed even when nosync, as 'gitolite mirror push <copy> <repo>' would.
    return this.run(site, sel, !p.all && !!p.remotes?.length, !!p.wait);
  }

  /**
   * "Replicate these": gitolite pushes a repository whole (`--mirror`), so a target is pushed only
   * when a fresh dry run shows exactly the changes the user confirmed (none moved since, none
   * hidden); otherwise nothing of it is pushed, and each of its refs says why.
   */
  private async pushShown(home: string, site: MirrorSite, shown: NonNullable<StartParams['changes']>): Promise<StartResult> {
    if (!Array.isArray(shown)) throw new EngineError('usage', 'changes must be a list of targets');
    const sig = (cs: Array<{ remoteRef: string; kind: string; oldId: string | null; newId: string | null }>) =>
      cs.filter((c) => c.kind !== 'up-to-date').map((c) => `${c.kind} ${c.remoteRef} ${c.oldId ?? ''} ${c.newId ?? ''}`).sort().join('\n');
    const fresh = await this.plan(home, { projects: [...new Set(shown.map((t) => t.project))], remotes: [...new Set(shown.map((t) => t.remote))] });
    const refs: ExactRefResult[] = [];
    const go: MirrorTarget[] = [];
    for (const t of shown) {
      const now = fresh.targets.find((x) => x.project === t.project && x.remote === t.remote);
      if (now && !now.unreachable && sig(now.changes) === sig(t.changes)) {
        go.push({ repo: t.project, copy: t.remote, type: site.repos.find((r) => r.repo === t.project)?.copies.get(t.remote) ?? 'async' });
        continue;
      }
      for (const c of t.changes) refs.push({ project: t.project, remote: t.remote, url: t.url, remoteRef: c.remoteRef, status: 'REJECTED_REMOTE_CHANGED',
        reason: 'not pushed: the repository or its copy changed since the dry run, or some of its changes were hidden; gitolite pushes a repository whole (--mirror), so refresh the dry run' });
    }
    if (go.length) {
      const sel: MirrorSelection = { hostname: site.hostname!, targets: go, refused: [], local: [] };
      const r = await this.run(site, sel, true, true);
      for (const t of shown) {
        if (!go.some((g) => g.repo === t.project && g.copy === t.remote)) continue;
        const failed = this.failed.find((f) => f.project === t.project && f.remote === t.remote);
        for (const c of t.changes) refs.push({ project: t.project, remote: t.remote, url: t.url, remoteRef: c.remoteRef,
          status: failed ? 'REJECTED_OTHER_REASON' : 'OK', ...(failed ? { reason: failed.lastError?.split('\n')[0] } : {}) });
      }
    }
    return { scheduled: go.length, taskIds: [], refs, output: refs.map((r) => `${r.project} → ${r.url} ${r.remoteRef}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`) };
  }

  /** Pushes the copies of the given tasks (failed, or nosync waiting) now. */
  async retry(home: string, p: RetryParams): Promise<{ retried: number }> {
    const { site } = this.model(home);
    const snap = this.queue(home);
    const tasks = snap.tasks.filter((t) => t.state !== 'running' && (p.taskIds?.length ? p.taskIds.includes(t.id) : p.failed && t.state === 'failed'));
    if (!tasks.length || !site.hostname) return { retried: 0 };
    const targets: MirrorTarget[] = tasks.map((t) => ({ repo: t.project, copy: t.remote, type: site.repos.find((r) => r.repo === t.project)?.copies.get(t.remote) ?? 'async' }));
    const r = await this.run(site, { hostname: site.hostname, targets, refused: [], local: [] }, true, false);
    return { retried: r.scheduled };
  }

  /** Failed tasks leave the list; a failure gitolite recorded loses its status file, as gitolite's docs say to do by hand. */
  dismiss(home: string, p: DismissParams): { dismissed: number } {
    const { site } = this.model(home);
    const snap = this.queue(home);
    const gone = snap.tasks.filter((t) => t.state === 'failed' && (p.all || (p.taskIds ?? []).includes(t.id)));
    for (const t of gone) {
      const f = join(site.repoBase, `${t.project}.git`, `gl-copy-${t.remote}.status`);
      try {
        if (/^[A-Za-z0-9][-A-Za-z0-9._@]*$/.test(t.remote) && existsSync(f)) unlinkSync(f);
      } catch {
        /* a status file we cannot remove stays listed */
      }
    }
    this.failed = this.failed.filter((t) => !gone.includes(t));
    if (gone.length) this.changed();
    return { dismissed: gone.length };
  }
}

/** A cheap fingerprint of a repository's refs (packed-refs and loose refs' mtimes), for "moved since the last push". */
function refsStamp(site: MirrorSite, repo: string): string {
  const dir = join(site.repoBase, `${repo}.git`);
  const parts: string[] = [];
  const walk = (d: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names.sort()) {
      const p = join(d, n);
      try {
        const text = readFileSync(p, 'utf8');
        parts.push(`${p}=${text.trim()}`);
      } catch {
        if (depth < 6) walk(p, depth + 1);
      }
    }
  };
  try {
    parts.push(readFileSync(join(dir, 'packed-refs'), 'utf8'));
  } catch {
    /* no packed refs */
  }
  walk(join(dir, 'refs'), 0);
  return parts.join('\n');
}

function matches(pattern: string, repo: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(repo);
  } catch {
    return false;
  }
}
