// The LanguageModules for gitolite.conf (and conf/**/*.conf) and for .gitolite.rc.
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { dirname, resolve } from 'node:path';
import type { LanguageModule, ServiceContext } from '../service/types';
import { rcRange, type GlDiag } from './diag';
import { confFeatures, rcFeatures } from './features';
import { docWorkspace, toDiagnostics } from './lsp';
import { confQuickFixes, rcQuickFixes } from './quickFixes';
import { readRc } from './rcReader';
import { analysisForConfSteps, analysisForRcSteps, analyzeSiteSteps, cachedAnalysisForConf } from './confSite';
import { GitoliteCaches } from './caches';
import { drain, type Steps } from '../service/slices';

/**
 * gl-lone-cr: gitolite reads a file with Perl's readline, which ends a line at \n only, while an
 * editor also ends one at a lone \r; so a lone \r joins what looks like two lines into one for
 * gitolite. Positions count lines at \n, as the rest of this module does. At most 20 per file.
 */
export function loneCrDiagnostics(file: string, text: string, what: string): GlDiag[] {
  const out: GlDiag[] = [];
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
      file,
      range: { start: { line, character }, end: { line, character: character + 1 } },
      code: 'gl-lone-cr',
      message: `a lone carriage return (\\r) does not end a line for ${what}, which splits lines at \\n only: the text after it is read as part of this line. Use \\n (or \\r\\n) line ends.`,
    });
  }
  return out;
}

/**
 * The gitolite.conf and .gitolite.rc modules of one service instance: they share one set of
 * caches (parses, compile chunks, mirror results; ./caches.ts), which no other instance sees.
 */
export function createGitoliteModules(caches = new GitoliteCaches()): { conf: LanguageModule; rc: LanguageModule } {
  return { conf: confModule(caches), rc: rcModule(caches) };
}

// Validation a slice at a time (service/slices): the server answers requests on other documents
// meanwhile, and drops the job when its document changes; `validate` runs it in one go.
function* confValidateSteps(caches: GitoliteCaches, doc: TextDocument, ctx: ServiceContext): Steps<Diagnostic[]> {
  const path = resolve(ctx.path);
  const a = yield* analysisForConfSteps(caches, path, docWorkspace(doc, ctx), ctx.gitoliteRc);
  const found = [...(a.byFile.get(path) ?? [])];
  found.push(...loneCrDiagnostics(path, doc.getText(), 'gitolite'));
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const refused = a.rcPath && path === a.confPath ? ctx.ws.refusal?.(a.rcPath) : undefined;
  if (refused)
    found.push({
      file: path,
      range: top,
      code: 'gl-rc-outside',
      message: `${a.rcPath} is ${refused === 'outside' ? 'a symlink that leads out of its directory' : 'not a regular file'}: it is not read, so this conf is checked with gitolite's default rc`,
    });
  if (!a.rcPath && path === a.confPath)
    found.push({
      file: path,
      range: top,
      code: 'gl-rc-not-found',
      message: 'no .gitolite.rc found at or above this directory: checking with gitolite\'s default rc (GIT_CONFIG_KEYS empty, HOSTNAME unset, no continuation lines)',
    });
  return toDiagnostics(found, ctx.severityOverrides);
}

const confModule = (caches: GitoliteCaches): LanguageModule => ({
  validate: (doc, ctx) => drain(confValidateSteps(caches, doc, ctx)),
  validateSteps: (doc, ctx) => confValidateSteps(caches, doc, ctx),
  analysed: (doc, ctx) => !!cachedAnalysisForConf(caches, resolve(ctx.path), docWorkspace(doc, ctx), ctx.gitoliteRc),
  codeActions: (doc, _range, diagnostics) => confQuickFixes(doc, diagnostics),
  ...confFeatures(caches),
});

function* rcValidateSteps(caches: GitoliteCaches, doc: TextDocument, ctx: ServiceContext): Steps<Diagnostic[]> {
  const path = resolve(ctx.path);
  const rc = readRc(doc.getText());
  const found: GlDiag[] = rc.notes.map((n) => ({ file: path, range: rcRange(n.pos), code: n.code, message: n.message }));
  const ws = docWorkspace(doc, ctx);
  // An rc given explicitly for a conf elsewhere (check --rc) is analysed with that conf.
  const a = ctx.gitoliteConf && ctx.gitoliteRc && resolve(ctx.gitoliteRc) === path
    ? yield* analyzeSiteSteps(caches, resolve(ctx.gitoliteConf), dirname(resolve(ctx.gitoliteConf)), ws, path)
    : yield* analysisForRcSteps(caches, path, ws);
  if (a) found.push(...(a.byFile.get(path) ?? []));
  found.push(...loneCrDiagnostics(path, doc.getText(), "gitolite's Perl (a # comment runs on past it)"));
  return toDiagnostics(found, ctx.severityOverrides);
}

const rcModule = (caches: GitoliteCaches): LanguageModule => ({
  validate: (doc, ctx) => drain(rcValidateSteps(caches, doc, ctx)),
  validateSteps: (doc, ctx) => rcValidateSteps(caches, doc, ctx),
  codeActions: (doc, _range, diagnostics) => rcQuickFixes(doc, diagnostics),
  ...rcFeatures(caches),
});
