// The compile's memory between runs: each chunk by the identity of its lines (an unchanged
// file keeps its line arrays, see explode.ts), and each conf's last run (chunk order and final
// group map), which tells which groups an edit may have changed for the chunks after it.
// Both live in the service instance's GitoliteCaches (../caches.ts).
import type { Chunk, ChunkState, Groups, Mutation } from './chunk';
import type { XLine } from './explode';
import type { GitoliteCaches } from '../caches';

export function cachedChunk(caches: GitoliteCaches, lines: XLine[]): Chunk | undefined {
  return caches.chunks.get(lines);
}

export function cacheChunk(caches: GitoliteCaches, lines: XLine[], c: Chunk): void {
  caches.chunks.set(lines, c);
}

/** The last run of a conf (and rc view): its chunks in order, its final group map, the last chunk that changed a group. */
export interface CompileRun {
  chunks: Chunk[];
  /** Never changed after its run: a later run may use it as its own (read only). */
  groups: Groups;
  /** Index of the last chunk with a group line that ran (-1: none). */
  lastMutation: number;
}

export function previousRun(caches: GitoliteCaches, key: string): CompileRun | undefined {
  return caches.lastRun.get(key);
}

export function rememberRun(caches: GitoliteCaches, key: string, run: CompileRun): void {
  if (caches.lastRun.size > 32) caches.lastRun.clear();
  caches.lastRun.set(key, run);
}

export function sameMutations(a: Chunk['mutations'], b: Chunk['mutations']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameMutation(a[i], b[i])) return false;
  return true;
}

/** Same group, subconf and added members, in order (no closure or tuple per comparison). */
export function sameMutation(x: Mutation, y: Mutation): boolean {
  if (x[0] !== y[0] || x[2] !== y[2]) return false;
  const m1 = x[1], m2 = y[1];
  if (m1.length !== m2.length) return false;
  for (let k = 0; k < m1.length; k++) if (m1[k] !== m2[k]) return false;
  return true;
}

/** A group's members and their subconfs as one comparable string (null: no such group). */
export function groupSig(g: Map<string, string> | undefined): string | null {
  if (!g) return null;
  let s = '';
  for (const [k, v] of g) s += k + '\u0001' + v + '\u0000';
  return s;
}

export function sameState(a: ChunkState, b: ChunkState): boolean {
  if (a.subconf !== b.subconf || a.skipping !== b.skipping) return false;
  const x = a.repolist, y = b.repolist;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
