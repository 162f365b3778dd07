// The compile's memory between runs: each chunk by the identity of its lines (an unchanged
// file keeps its line arrays, see explode.ts), and each conf's chunk order of the last run,
// which tells which groups an edit may have changed for the chunks after it.
import type { Chunk, ChunkState } from './chunk';
import type { XLine } from './explode';

const byLines = new WeakMap<XLine[], Chunk>();
/** The chunks of the last run per conf (and rc view), in order. */
const lastOrder = new Map<string, Chunk[]>();

export function cachedChunk(lines: XLine[]): Chunk | undefined {
  return byLines.get(lines);
}

export function cacheChunk(lines: XLine[], c: Chunk): void {
  byLines.set(lines, c);
}

export function previousOrder(key: string): Chunk[] {
  return lastOrder.get(key) ?? [];
}

export function rememberOrder(key: string, chunks: Chunk[]): void {
  if (lastOrder.size > 32) lastOrder.clear();
  lastOrder.set(key, chunks);
}

export function clearCompileCache(): void {
  lastOrder.clear();
}

export function sameMutations(a: Chunk['mutations'], b: Chunk['mutations']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const [l1, m1, s1] = a[i];
    const [l2, m2, s2] = b[i];
    if (l1 !== l2 || s1 !== s2 || m1.length !== m2.length || m1.some((x, k) => x !== m2[k])) return false;
  }
  return true;
}

/** A group's members and their subconfs as one comparable string (null: no such group). */
export function groupSig(g: Map<string, string> | undefined): string | null {
  if (!g) return null;
  let s = '';
  for (const [k, v] of g) s += k + '\u0001' + v + '\u0000';
  return s;
}

export const sameState = (a: ChunkState, b: ChunkState): boolean =>
  a.subconf === b.subconf && a.skipping === b.skipping && a.repolist.length === b.repolist.length && a.repolist.every((x, i) => x === b.repolist[i]);
