// Runs every replication rule on one document. The file kind and the site layout come from
// the document's path; other files are read only through the workspace.
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileKind } from '../catalog/catalog';
import { parseGitConfig } from '../gitconfig/parser';
import { classifyFile } from '../service/fileKinds';
import type { ServiceContext } from '../service/types';
import { checkFanoutFile, checkRemotesIgnoredByFanout } from './checkFanout';
import { checkRemotes } from './checkRemotes';
import { checkSecure } from './checkSecure';
import { checkSections } from './checkSections';
import { checkSyntax } from './checkSyntax';
import { checkValues } from './checkValues';
import { createContext } from './context';
import { siteLayout } from './site';

export function replicationKind(path: string): FileKind {
  const k = classifyFile(path);
  return k === 'fanout' || k === 'secure' ? k : 'replication';
}

export function validateReplication(doc: TextDocument, ctx: ServiceContext): Diagnostic[] {
  const kind = replicationKind(ctx.path);
  const parsed = parseGitConfig(doc.getText());
  const c = createContext(doc, parsed, kind, siteLayout(ctx.path, kind), ctx.ws, ctx.path);
  checkSyntax(c);
  checkSections(c);
  checkValues(c);
  if (kind !== 'secure') checkRemotes(c);
  if (kind === 'fanout') checkFanoutFile(c);
  if (kind === 'replication') checkRemotesIgnoredByFanout(c);
  if (kind === 'secure') checkSecure(c);
  return c.diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
