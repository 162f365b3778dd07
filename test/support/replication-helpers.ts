// Helpers for the replication language tests: an in-memory site and one-call validate.
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { validate } from '../../server/src/formats';
import type { Workspace } from '../../server/src/service/workspace';

export const SITE = '/srv/gerrit';
export const REPL = `${SITE}/etc/replication.config`;
export const SECURE = `${SITE}/etc/secure.config`;
export const FANOUT = (name: string) => `${SITE}/etc/replication/${name}.config`;

/** A workspace over a map of files; directories are implied by the paths; modes default 600. */
export function memoryWorkspace(files: Record<string, string>, modes: Record<string, number> = {}): Workspace {
  const dirs = new Set<string>();
  for (const p of Object.keys(files)) for (let d = dirname(p); d !== '/' && !dirs.has(d); d = dirname(d)) dirs.add(d);
  return {
    read: (p) => files[p],
    list: (d) => (dirs.has(d) ? [...new Set(Object.keys(files).filter((p) => dirname(p) === d).map((p) => p.slice(d.length + 1)).concat([...dirs].filter((x) => dirname(x) === d).map((x) => x.slice(d.length + 1))))] : undefined),
    stat: (p) => (p in files ? { mode: 0o100000 | (modes[p] ?? 0o600), isFile: true, isDirectory: false } : dirs.has(p) ? { mode: 0o040755, isFile: false, isDirectory: true } : undefined),
  };
}

export function doc(text: string, path = REPL): TextDocument {
  return TextDocument.create('file://' + path, 'gerrit-replication', 1, text);
}

export function check(text: string, path = REPL, others: Record<string, string> = {}, modes: Record<string, number> = {}): Diagnostic[] {
  const ws = memoryWorkspace({ ...others, [path]: text }, modes);
  return validate(doc(text, path), { path, ws });
}

/** Codes seen by `expectDiag`, so a final test can prove every rule was exercised. */
export const SEEN = new Set<string>();

/**
 * Exactly one diagnostic with this code; checks severity (1 error … 4 hint), the range as
 * "line:col-line:col" (1-based, like `check` prints) and the message gist. Returns it.
 */
export function expectDiag(diags: Diagnostic[], code: string, severity: number, range: string, gist: RegExp): Diagnostic {
  const found = diags.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${found.length}: ${JSON.stringify(diags.map((d) => [d.code, d.message]), null, 1)}`);
  const d = found[0];
  SEEN.add(code);
  assert.equal(d.severity, severity, `${code} severity`);
  const r = `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`;
  assert.equal(r, range, `${code} range`);
  assert.match(d.message, gist);
  return d;
}

export function codes(diags: Diagnostic[]): string[] {
  return diags.map((d) => String(d.code));
}

export function fixTitles(d: Diagnostic): string[] {
  return ((d.data as { fixes?: Array<{ title: string }> } | undefined)?.fixes ?? []).map((f) => f.title);
}

/** Apply the first fix of a diagnostic to the text. */
export function applyFix(text: string, d: Diagnostic, index = 0): string {
  const fix = (d.data as { fixes: Array<{ edits: Array<{ range: Diagnostic['range']; newText: string }> }> }).fixes[index];
  const td = doc(text);
  return TextDocument.applyEdits(td, fix.edits);
}
