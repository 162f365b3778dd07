// Rename a remote across the site: every `[remote "NAME"]` header of replication.config and
// secure.config. A fan-out remote is named by its file, so there the file must be renamed.
import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { basename } from 'node:path';
import { LineIndex } from '../../gitconfig/parser';
import { RequestRefused } from '../../service/errors';
import type { ServiceContext } from '../../service/types';
import { fileUri } from '../context';
import { remoteHeaderAt, remoteSections } from './navigate';
import { fanoutFiles } from '../siteLayout';
import type { Analysis } from '../analysis';

function fanoutRefusal(name: string): RequestRefused {
  return new RequestRefused(`Remote '${name}' is named by its file etc/replication/${name}.config: rename the file to rename the remote (and its [remote "${name}"] block in secure.config with it).`);
}

/** The quoted name under the cursor, or null (no rename here); refusals explain themselves. */
export function prepareRenameRemote(a: Analysis, pos: Position, ctx: ServiceContext): Range | null {
  const s = remoteHeaderAt(a, pos);
  if (!s) return null;
  const { doc, kind, site } = a;
  if (kind === 'fanout') throw fanoutRefusal(site.fanoutRemote!);
  if (s.subsection === null || !s.subsectionSpan) return null;
  // With etc/replication/ present, secure.config's names are the fan-out files' names.
  if (kind === 'secure' && ctx.ws.stat(site.fanoutDir)?.isDirectory) throw fanoutRefusal(s.subsection);
  return { start: doc.positionAt(s.subsectionSpan.start), end: doc.positionAt(s.subsectionSpan.end) };
}

/** Why a new remote name cannot be written as we write it, or undefined. */
function invalidName(name: string): string | undefined {
  if (name === '') return 'a remote name cannot be empty';
  if (/["\\]/.test(name)) return 'a remote name with " or \\ would need escaping in the section header; choose a name without them';
  if (/[\0\n\r]/.test(name)) return 'a remote name cannot contain a line break';
  return undefined;
}

export function renameRemote(a: Analysis, pos: Position, newName: string, ctx: ServiceContext): WorkspaceEdit | null {
  if (prepareRenameRemote(a, pos, ctx) === null) return null;
  const { doc, site } = a;
  const old = remoteHeaderAt(a, pos)!.subsection!;
  const bad = invalidName(newName);
  if (bad) throw new RequestRefused(`Cannot rename remote '${old}' to '${newName.replace(/[\0-\x1f]/g, ' ')}': ${bad}.`);
  if (newName === old) return { changes: {} };
  // The files the name lives in. With etc/replication/ present the remotes of
  // replication.config are ignored and secure.config belongs to the fan-out remotes, so
  // only replication.config changes.
  const fanout = ctx.ws.stat(site.fanoutDir)?.isDirectory === true;
  const files = fanout ? [site.replicationConfig] : [site.replicationConfig, site.secureConfig];
  const texts = new Map<string, string>();
  for (const f of files) {
    const text = f === ctx.path ? doc.getText() : ctx.ws.read(f);
    if (text !== undefined) texts.set(f, text);
  }
  for (const [f, text] of texts) {
    if (remoteSections(text).some((s) => s.subsection === newName)) {
      throw new RequestRefused(`Cannot rename remote '${old}' to '${newName}': ${basename(f)} already has a [remote "${newName}"] section.`);
    }
  }
  if (fanout && fanoutFiles(site.fanoutDir, ctx.ws).some((p) => basename(p) === `${newName}.config`)) {
    throw new RequestRefused(`Cannot rename remote '${old}' to '${newName}': etc/replication/${newName}.config already defines that remote.`);
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const [f, text] of texts) {
    const idx = new LineIndex(text);
    const edits = remoteSections(text)
      .filter((s) => s.subsection === old && s.subsectionSpan)
      .map((s) => ({ range: { start: idx.position(s.subsectionSpan!.start), end: idx.position(s.subsectionSpan!.end) }, newText: newName }));
    if (edits.length > 0) changes[f === ctx.path ? doc.uri : fileUri(f)] = edits;
  }
  return { changes };
}
