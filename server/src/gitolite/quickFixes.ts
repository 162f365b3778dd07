// Quick fixes: v2 mirror lines rewritten as v3 options, v2 description lines as v3 desc/owner,
// `option mirror.x =` made a real clear, a mirror key the trigger never reads replaced by the
// one it reads, and a HOSTNAME typo replaced by the host the conf names.
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver';
import { CodeActionKind, TextEdit } from '../service/lspConstants';
import type { TextDocument } from 'vscode-languageserver-textdocument';

const V2_LINE = /^(\s*)config\s+gitolite\.mirror\.([^\s=]+)\s*=\s*(.*?)\s*$/i;

/** `config gitolite.mirror.K = "V"` → `option mirror.K' = V'` (slaves → copies, redirectOK true → all). */
export function v2LineToV3(line: string): string | undefined {
  const hashAt = commentStart(line);
  const body = hashAt < 0 ? line : line.slice(0, hashAt);
  const comment = hashAt < 0 ? '' : line.slice(hashAt);
  const m = V2_LINE.exec(body);
  if (!m) return undefined;
  let key = m[2];
  let value = m[3].replace(/^(["'])(.*)\1$/, '$2').trim();
  if (/^slaves$/i.test(key)) key = 'copies';
  else if (/^master$/i.test(key)) key = 'master';
  else if (/^redirectok$/i.test(key)) {
    key = 'redirectOK';
    if (value === 'true') value = 'all';
  }
  const out = value === '' ? `${m[1]}option mirror.${key} = ""` : `${m[1]}option mirror.${key} = ${value}`;
  return comment ? `${out} ${comment}` : out;
}

/** Where gitolite's comment starts (a `#` outside simple "..." strings), or -1. */
function commentStart(line: string): number {
  const m = /^((?:".*?"|[^#"])*)#/.exec(line);
  return m ? m[1].length : -1;
}

function lineRange(doc: TextDocument, line: number): Range {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  return { start: { line, character: 0 }, end: { line, character: text.length } };
}

function lineText(doc: TextDocument, line: number): string {
  return doc.getText(lineRange(doc, line));
}

export function confQuickFixes(doc: TextDocument, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  const v2Diags: Diagnostic[] = [];
  for (const d of diagnostics) {
    const key = (d.data as { key?: string } | undefined)?.key;
    if ((d.code === 'gl-config-not-allowed' || d.code === 'gl-mirror-v2-under-v3') && key && /^gitolite\.mirror\./i.test(key)) {
      const line = d.range.start.line;
      const nt = v2LineToV3(lineText(doc, line));
      if (nt === undefined) continue;
      v2Diags.push(d);
      out.push({
        title: `Rewrite as gitolite v3: '${nt.trim()}'`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [doc.uri]: [TextEdit.replace(lineRange(doc, line), nt)] } },
      });
    } else if (d.code === 'gl-mirror-empty-option') {
      const line = d.range.start.line;
      const t = lineText(doc, line);
      const eq = t.indexOf('=');
      if (eq < 0) continue;
      out.push({
        title: 'Clear the option: = ""',
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [doc.uri]: [TextEdit.replace({ start: { line, character: eq }, end: { line, character: eq + 1 } }, '= ""')] } },
      });
    } else if (d.code === 'gl-mirror-unknown-key') {
      const sug = (d.data as { suggestion?: string } | undefined)?.suggestion;
      if (!sug) continue;
      out.push({
        title: `Change the key to '${sug}'`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [doc.uri]: [TextEdit.replace(d.range, sug)] } },
      });
    } else if (d.code === 'gl-v2-description') {
      const fix = v2DescriptionToV3(doc, d);
      if (fix) out.push({ title: `Rewrite as gitolite v3: 'repo ${fix.repo}' with desc${fix.owner ? ' and owner' : ''}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [doc.uri]: [fix.edit] } } });
    }
  }
  // One action for every v2 mirror line of the file.
  const edits: TextEdit[] = [];
  for (let l = 0; l < doc.lineCount; l++) {
    const t = lineText(doc, l);
    if (!/gitolite\.mirror\./i.test(t)) continue;
    const nt = v2LineToV3(t);
    if (nt !== undefined) edits.push(TextEdit.replace(lineRange(doc, l), nt));
  }
  if (v2Diags.length && edits.length > 1)
    out.push({ title: `Rewrite all ${edits.length} v2 mirror lines of this file as v3 options`, kind: CodeActionKind.QuickFix, diagnostics: v2Diags, edit: { changes: { [doc.uri]: edits } } });
  return out;
}

export function rcQuickFixes(doc: TextDocument, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const sug = (d.data as { suggestion?: string } | undefined)?.suggestion;
    if (d.code !== 'gl-mirror-hostname-unknown' || !sug) continue;
    const old = doc.getText(d.range);
    const q = /^["']/.test(old) ? old[0] : "'";
    out.push({
      title: `Change HOSTNAME to '${sug}'`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [doc.uri]: [TextEdit.replace(d.range, `${q}${sug}${q}`)] } },
    });
  }
  return out;
}

/**
 * gitolite v2's `foo "owner" = "desc"` as v3 lines: `repo foo`, `desc = "desc"`, `owner = "owner"`.
 * The new `repo` line would capture the rules and options that follow (they belonged to the
 * repo line before), so that repo line is written again after the block when lines follow.
 */
function v2DescriptionToV3(doc: TextDocument, d: Diagnostic): { repo: string; owner?: string; edit: TextEdit } | undefined {
  const data = d.data as { repo?: string; desc?: string; owner?: string; prev?: string } | undefined;
  if (!data?.repo || data.desc === undefined) return undefined;
  const line = d.range.start.line;
  const indent = /^\s*/.exec(lineText(doc, line))![0];
  const lines = [`${indent}repo ${data.repo}`, `${indent}    desc = "${data.desc}"`];
  if (data.owner !== undefined) lines.push(`${indent}    owner = "${data.owner}"`);
  if (data.prev) {
    let next = '';
    for (let l = line + 1; l < doc.lineCount && !next; l++) next = lineText(doc, l).replace(/#.*/, '').trim();
    if (next && !/^(repo\s|@|include\s|subconf\s)/.test(next)) lines.push(`${indent}repo ${data.prev}`);
  }
  return { repo: data.repo, owner: data.owner, edit: TextEdit.replace(lineRange(doc, line), lines.join('\n')) };
}
