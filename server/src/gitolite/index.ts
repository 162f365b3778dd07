// The LanguageModules for gitolite.conf (and conf/**/*.conf) and for .gitolite.rc.
import type { Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from '../service/lspConstants';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { dirname, resolve } from 'node:path';
import type { LanguageModule, ServiceContext } from '../service/types';
import { rcRange } from './diag';
import { confFeatures, rcFeatures } from './features';
import { docWorkspace, toDiagnostic } from './lsp';
import { confQuickFixes, rcQuickFixes } from './quickFixes';
import { readRc } from './rcReader';
import { analysisForConf, analysisForRc, analyzeSite } from './site';

/**
 * gl-lone-cr: gitolite reads a file with Perl's readline, which ends a line at \n only, while an
 * editor also ends one at a lone \r; so a lone \r joins what looks like two lines into one for
 * gitolite. Positions count lines at \n, as the rest of this module does. At most 20 per file.
 */
export function loneCrDiagnostics(text: string, what: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  let line = 0;
  let lineStart = 0;
  let nl = text.indexOf('\n');
  for (let i = text.indexOf('\r'); i >= 0 && out.length < 20; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) === 10) continue;
    while (nl >= 0 && nl < i) {
      line++;
      lineStart = nl + 1;
      nl = text.indexOf('\n', nl + 1);
    }
    const character = i - lineStart;
    out.push({
      range: { start: { line, character }, end: { line, character: character + 1 } },
      severity: DiagnosticSeverity.Warning,
      code: 'gl-lone-cr',
      source: 'git-replication',
      message: `a lone carriage return (\\r) does not end a line for ${what}, which splits lines at \\n only: the text after it is read as part of this line. Use \\n (or \\r\\n) line ends.`,
    });
  }
  return out;
}

export const gitoliteConfModule: LanguageModule = {
  validate(doc: TextDocument, ctx: ServiceContext): Diagnostic[] {
    const path = resolve(ctx.path);
    const a = analysisForConf(path, docWorkspace(doc, ctx), ctx.gitoliteRc);
    const out = (a.byFile.get(path) ?? []).map(toDiagnostic);
    out.push(...loneCrDiagnostics(doc.getText(), 'gitolite'));
    if (a.rcPath && path === a.confPath && ctx.ws.refusal?.(a.rcPath))
      out.push({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Warning,
        code: 'gl-rc-outside',
        source: 'git-replication',
        message: `${a.rcPath} is ${ctx.ws.refusal(a.rcPath) === 'outside' ? 'a symlink that leads out of its directory' : 'not a regular file'}: it is not read, so this conf is checked with gitolite's default rc`,
      });
    if (!a.rcPath && path === a.confPath)
      out.push({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Information,
        code: 'gl-rc-not-found',
        source: 'git-replication',
        message: 'no .gitolite.rc found at or above this directory: checking with gitolite\'s default rc (GIT_CONFIG_KEYS empty, HOSTNAME unset, no continuation lines)',
      });
    return out;
  },
  codeActions: (doc, _range, diagnostics) => confQuickFixes(doc, diagnostics),
  ...confFeatures,
};

export const gitoliteRcModule: LanguageModule = {
  validate(doc: TextDocument, ctx: ServiceContext): Diagnostic[] {
    const path = resolve(ctx.path);
    const rc = readRc(doc.getText());
    const out: Diagnostic[] = rc.notes.map((n) => toDiagnostic({ file: path, range: rcRange(n.pos), code: n.code, message: n.message }));
    const ws = docWorkspace(doc, ctx);
    // An rc given explicitly for a conf elsewhere (check --rc) is analysed with that conf.
    const a = ctx.gitoliteConf && ctx.gitoliteRc && resolve(ctx.gitoliteRc) === path
      ? analyzeSite(resolve(ctx.gitoliteConf), dirname(resolve(ctx.gitoliteConf)), ws, path)
      : analysisForRc(path, ws);
    if (a) out.push(...(a.byFile.get(path) ?? []).map(toDiagnostic));
    out.push(...loneCrDiagnostics(doc.getText(), "gitolite's Perl (a # comment runs on past it)"));
    return out;
  },
  codeActions: (doc, _range, diagnostics) => rcQuickFixes(doc, diagnostics),
  ...rcFeatures,
};
