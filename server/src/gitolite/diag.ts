// Diagnostics as the gitolite checks produce them: per file, with a code of the rule table
// (a code that is not in it does not compile). They are cached with the site's analysis and
// become LSP diagnostics, with their severity, only when a document is checked (lsp.ts).
import type { Range } from 'vscode-languageserver';
import type { Tok } from './compile/confParser';
import type { RcPos } from './rcReader';
import type { GitoliteCode } from './gitoliteRules';

export interface GlRelated { file: string; range: Range; message: string }

export interface GlDiag {
  file: string;
  range: Range;
  code: GitoliteCode;
  message: string;
  related?: GlRelated[];
  /** Extra facts for quick fixes. */
  data?: Record<string, unknown>;
}

export function tokRange(t: Tok): Range {
  return { start: { line: t.line, character: t.start }, end: { line: t.endLine ?? t.line, character: t.end } };
}

export function toksRange(a: Tok, b: Tok): Range {
  return { start: { line: a.line, character: a.start }, end: { line: b.endLine ?? b.line, character: b.end } };
}

export function rcRange(p: RcPos): Range {
  return { start: { line: p.line, character: p.start }, end: { line: p.endLine ?? p.line, character: p.end } };
}
