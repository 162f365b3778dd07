// Glue between the gitolite analysis and LSP types: the workspace seen through the open
// document, GlDiag → Diagnostic (through the service's one reporter), and file paths → URIs.
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServiceContext } from '../service/types';
import type { Workspace } from '../service/workspace';
import type { GlDiag } from './diag';
import { makeDiagnostic, type SeverityOverrides } from '../service/diagnostics';
import { GITOLITE_RULES } from './gitoliteRules';

export function fileUri(path: string): string {
  return pathToFileURL(path).toString();
}

/** The context's workspace with this document's (possibly unsaved) text laid over its path. */
export function docWorkspace(doc: TextDocument, ctx: ServiceContext): Workspace {
  const text = doc.getText();
  const path = ctx.path;
  return {
    read: (p) => (p === path ? text : ctx.ws.read(p)),
    list: (d) => ctx.ws.list(d),
    stat: (p) => ctx.ws.stat(p) ?? (p === path ? { mode: 0o100644, isFile: true, isDirectory: false } : undefined),
    refusal: ctx.ws.refusal && ((p) => (p === path ? undefined : ctx.ws.refusal!(p))),
  };
}

/** The LSP diagnostic for a finding, with its severity resolved; undefined when the user turned it off. */
export function toDiagnostic(d: GlDiag, overrides: SeverityOverrides): Diagnostic | undefined {
  return makeDiagnostic(GITOLITE_RULES, d.code, d.range, d.message, overrides, {
    relatedInformation: d.related?.map((r): DiagnosticRelatedInformation => ({ location: { uri: fileUri(r.file), range: r.range }, message: r.message })),
    data: d.data,
  });
}

/** The LSP diagnostics for findings, those turned off left out. */
export function toDiagnostics(ds: readonly GlDiag[], overrides: SeverityOverrides): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of ds) {
    const x = toDiagnostic(d, overrides);
    if (x) out.push(x);
  }
  return out;
}
