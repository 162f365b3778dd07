// The ref deletion guard, in the spirit of grokmirror's purgeprotect: a full sync that would
// delete more than a number or a share of a mirror's refs (`mirror = true` pushed from a source
// that lost its refs) is a mass deletion. The interactive paths (`start --wait` on a terminal, the
// editor's Replicate commands) ask before they push one; the daemon keeps Gerrit's semantics and
// pushes, but logs it as an error and the target's record keeps it for `status` and the metrics.
import type { DeletionGuardHit, PlanTarget } from '../../protocol';

export interface DeletionGuard {
  /** A push deleting more refs than this trips the guard; undefined: no count rule. */
  maxRefs?: number;
  /** A push deleting more than this percentage of the mirror's refs trips it; undefined: no share rule. */
  maxSharePercent?: number;
}

/** More than 10 refs, or more than half of the mirror's refs. */
export const DEFAULT_DELETION_GUARD: DeletionGuard = { maxRefs: 10, maxSharePercent: 50 };

/** The environment variable the CLI, the daemon and the language server read the guard from. */
export const DELETION_GUARD_ENV = 'GIT_REPLICATION_REF_DELETION_GUARD';

/**
 * `off`, `COUNT`, `PERCENT%` or `COUNT,PERCENT%` (either order). Throws with a message fit for a
 * usage error.
 */
export function parseDeletionGuard(text: string): DeletionGuard {
  const t = text.trim().toLowerCase();
  if (t === 'off') return {};
  const g: DeletionGuard = {};
  const parts = t.split(',').map((p) => p.trim());
  if (parts.length < 1 || parts.length > 2 || parts.some((p) => p === '')) throw new Error(`a ref deletion guard is off, COUNT, PERCENT% or COUNT,PERCENT%, not ${JSON.stringify(text)}`);
  for (const p of parts) {
    const m = /^(\d+)(%?)$/.exec(p);
    if (!m) throw new Error(`a ref deletion guard is off, COUNT, PERCENT% or COUNT,PERCENT%, not ${JSON.stringify(text)}`);
    const n = Number(m[1]);
    if (m[2]) {
      if (g.maxSharePercent !== undefined || n > 100) throw new Error(`a ref deletion guard takes one PERCENT% of at most 100, not ${JSON.stringify(text)}`);
      g.maxSharePercent = n;
    } else {
      if (g.maxRefs !== undefined) throw new Error(`a ref deletion guard takes one COUNT, not ${JSON.stringify(text)}`);
      g.maxRefs = n;
    }
  }
  return g;
}

/** The guard from a flag, else the environment, else the default. */
export function deletionGuardFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): DeletionGuard {
  if (flag !== undefined) return parseDeletionGuard(flag);
  const e = env[DELETION_GUARD_ENV];
  return e !== undefined && e.trim() !== '' ? parseDeletionGuard(e) : DEFAULT_DELETION_GUARD;
}

export function guardOff(g: DeletionGuard): boolean {
  return g.maxRefs === undefined && g.maxSharePercent === undefined;
}

/** "more than 10 refs or more than 50% of the mirror's refs". */
export function describeGuard(g: DeletionGuard): string {
  const rules: string[] = [];
  if (g.maxRefs !== undefined) rules.push(`more than ${g.maxRefs} ref(s)`);
  if (g.maxSharePercent !== undefined) rules.push(`more than ${g.maxSharePercent}% of the mirror's refs`);
  return rules.length ? rules.join(' or ') : 'off';
}

/** Does deleting `deleted` of the mirror's `mirrorRefs` refs trip the guard? */
export function tripsGuard(g: DeletionGuard, deleted: number, mirrorRefs: number): boolean {
  if (deleted <= 0) return false;
  if (g.maxRefs !== undefined && deleted > g.maxRefs) return true;
  return g.maxSharePercent !== undefined && deleted * 100 > g.maxSharePercent * Math.max(mirrorRefs, deleted);
}

/** The mirror's refs a planned target knows of: every change with an old value on the mirror. */
export function mirrorRefsOf(t: PlanTarget): number {
  return t.changes.filter((c) => c.oldId !== null).length;
}

/** The planned targets whose push trips the guard, with the refs each would delete. */
export function guardHits(targets: PlanTarget[], g: DeletionGuard): DeletionGuardHit[] {
  const hits: DeletionGuardHit[] = [];
  for (const t of targets) {
    const deletes = t.changes.filter((c) => c.kind === 'delete').map((c) => c.remoteRef);
    const mirrorRefs = mirrorRefsOf(t);
    if (tripsGuard(g, deletes.length, mirrorRefs)) hits.push({ project: t.project, remote: t.remote, url: t.url, deletes, mirrorRefs });
  }
  return hits;
}
