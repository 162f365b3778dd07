// Glue between the gitolite analysis and LSP types: the workspace seen through the open
// document, GlDiag → Diagnostic, and file paths → URIs.
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServiceContext } from '../service/types';
import type { Workspace } from '../service/workspace';
import type { GlDiag } from './diag';
import { getRule, LEVEL_SEVERITY } from './rules';

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

export function toDiagnostic(d: GlDiag): Diagnostic {
  const rule = getRule(d.code);
  const out: Diagnostic = {
    range: d.range,
    severity: LEVEL_SEVERITY[d.level ?? rule.level],
    code: d.code,
    source: rule.origin === 'gitolite' ? 'gitolite' : 'git-replication',
    message: d.message,
  };
  if (d.related?.length) out.relatedInformation = d.related.map((r): DiagnosticRelatedInformation => ({ location: { uri: fileUri(r.file), range: r.range }, message: r.message }));
  if (d.data) out.data = d.data;
  return out;
}
