// Imports point down: gitconfig → catalog → service → formats (replication, gitolite) → the
// formats' registry → engine → cli, lsp. The pure layers (all of server/src but server.ts) take
// only types from vscode-languageserver / vscode-languageclient, so the CLI bundles carry no LSP
// runtime. Read with TypeScript's own parser, so `import type` and inline `type` are seen exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../support/helpers';

const SRC = join(ROOT, 'server', 'src');

/** Layer of a path below server/src, by its first segment; a higher rank may import a lower one. */
const RANK: Record<string, number> = {
  'protocol.ts': 0, // shared message types, imports nothing
  gitconfig: 0, catalog: 1, service: 2, replication: 3, gitolite: 3, formats: 4, engine: 5,
  cli: 6, 'cli.ts': 6, docs: 6, 'server.ts': 7, lsp: 7,
};
const LSP_RUNTIME = /^vscode-language(server|client)(\/.*)?$/;

type Import = { spec: string; typeOnly: boolean; line: number };

/** Every module a source file imports, re-exports or requires, and whether only types are taken. */
export function importsOf(file: string, text: string): Import[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: Import[] = [];
  const at = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const visit = (n: ts.Node) => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      out.push({ spec: n.moduleSpecifier.text, typeOnly, line: at(n) });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const named = n.exportClause && ts.isNamedExports(n.exportClause) ? n.exportClause.elements : undefined;
      out.push({ spec: n.moduleSpecifier.text, typeOnly: n.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)), line: at(n) });
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && ts.isStringLiteral(n.moduleReference.expression)) {
      out.push({ spec: n.moduleReference.expression.text, typeOnly: n.isTypeOnly, line: at(n) });
    } else if (ts.isCallExpression(n) && n.arguments.length === 1 && ts.isStringLiteral(n.arguments[0])
      && ((ts.isIdentifier(n.expression) && n.expression.text === 'require') || n.expression.kind === ts.SyntaxKind.ImportKeyword)) {
      out.push({ spec: n.arguments[0].text, typeOnly: false, line: at(n) });
    } else if (ts.isImportTypeNode(n)) {
      return; // `typeof import('…')` names a type
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The rule breaks in one file of server/src (path relative to server/src). */
export function violations(rel: string, text: string): string[] {
  const top = rel.split('/')[0];
  const rank = RANK[top];
  const out: string[] = [];
  if (rank === undefined) return [`${rel}: in no layer; add its folder to RANK in test/house/layers.test.ts`];
  for (const imp of importsOf(rel, text)) {
    const where = `${rel}:${imp.line}: '${imp.spec}'`;
    if (LSP_RUNTIME.test(imp.spec) && !imp.typeOnly && top !== 'server.ts' && top !== 'lsp') out.push(`${where}: a runtime import of the LSP library in a pure layer (use import type, and service/lspConstants for values)`);
    if (!imp.spec.startsWith('.')) continue;
    const target = relative(SRC, resolve(SRC, dirname(rel), imp.spec)).split('/');
    if (target[0] === '..') continue; // schemas/*.json, outside the code
    // A single segment is a folder's index ('../replication') or a top-level file ('./cli').
    const t = target.length > 1 || RANK[target[0]] !== undefined ? target[0] : `${target[0].replace(/(\.ts)?$/, '')}.ts`;
    const trank = RANK[t];
    if (trank === undefined) out.push(`${where}: imports a file in no layer`);
    else if (trank > rank) out.push(`${where}: ${top} imports ${t}, a layer above it`);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('the checker sees each kind of break', () => {
  assert.deepEqual(violations('replication/x.ts', "import type { Diagnostic } from 'vscode-languageserver';\nimport { type Range } from 'vscode-languageserver';\n"), []);
  assert.equal(violations('replication/x.ts', "import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';\n").length, 1);
  assert.equal(violations('cli/x.ts', "import { Range, type Position } from 'vscode-languageserver/node';\n").length, 1);
  assert.equal(violations('gitolite/x.ts', "export { DiagnosticSeverity } from 'vscode-languageserver';\n").length, 1);
  assert.equal(violations('engine/x.ts', "const c = require('vscode-languageclient');\n").length, 1);
  assert.match(violations('engine/site.ts', "import { checkFiles } from '../cli/check';\n")[0], /engine imports cli, a layer above it/);
  assert.match(violations('service/languageService.ts', "import { replicationModule } from '../replication';\n")[0], /service imports replication/);
  assert.match(violations('service/x.ts', "import { gitoliteConfModule } from '../gitolite/index';\n")[0], /service imports gitolite/);
  assert.match(violations('service/x.ts', "import { validate } from '../formats';\n")[0], /service imports formats/);
  assert.match(violations('formats/x.ts', "import { loadSite } from '../engine/site';\n")[0], /formats imports engine/);
  assert.match(violations('gitconfig/x.ts', "import type { Workspace } from '../service/workspace';\n")[0], /gitconfig imports service/);
  assert.match(violations('engine/x.ts', "import { main } from '../cli';\n")[0], /engine imports cli/);
  assert.deepEqual(violations('cli.ts', "const check = () => require('./cli/check') as typeof import('./cli/check');\n"), []);
  assert.deepEqual(violations('server.ts', "import { createConnection } from 'vscode-languageserver/node';\n"), []);
  assert.deepEqual(violations('lsp/transport.ts', "import { StreamMessageWriter } from 'vscode-languageserver/node';\n"), []);
  assert.match(violations('engine/x.ts', "import { serverTransport } from '../lsp/transport';\n")[0], /engine imports lsp/);
});

test('every import in server/src points down, and the pure layers take only types from the LSP library', () => {
  const files = sources(SRC);
  assert.ok(files.length > 90, `found ${files.length} files`);
  const found = files.flatMap((f) => violations(relative(SRC, f).split('\\').join('/'), readFileSync(f, 'utf8')));
  assert.deepEqual(found, []);
});

test('the CLI bundles carry no LSP runtime, and check and hook load no engine command', () => {
  const dist = join(ROOT, 'dist');
  const read = (n: string) => readFileSync(join(dist, n), 'utf8');
  // esbuild marks each bundled module with a `// path` comment (the test build is not minified).
  for (const n of ['cli.js', 'cli-args.js', 'cli-check.js', 'cli-hook.js', 'cli-engine.js']) {
    const text = read(n);
    assert.doesNotMatch(text, /\/\/ node_modules\/vscode-(languageserver|languageserver-protocol|languageserver-types|jsonrpc|languageclient)\//, n);
  }
  assert.doesNotMatch(read('cli.js'), /\/\/ server\/src\/(engine|replication|gitolite|service|gitconfig)\//);
  assert.doesNotMatch(read('cli-check.js'), /\/\/ server\/src\/engine\/|\/\/ node_modules\/simple-git\//);
  assert.doesNotMatch(read('cli-hook.js'), /\/\/ server\/src\/cli\/(plan|start|list|daemon|mirror)\.ts/);
  // The server bundle is the one that does carry it: the marker is real.
  assert.match(read('server.js'), /\/\/ node_modules\/vscode-languageserver\//);
});

test("service/lspConstants holds the LSP library's own values", async () => {
  const ours = await import('../../server/src/service/lspConstants');
  const lsp = await import('vscode-languageserver');
  for (const name of ['DiagnosticSeverity', 'CompletionItemKind', 'CompletionItemTag', 'InsertTextFormat', 'SymbolKind', 'MarkupKind', 'FoldingRangeKind'] as const) {
    for (const [k, v] of Object.entries(ours[name])) assert.equal((lsp[name] as unknown as Record<string, unknown>)[k], v, `${name}.${k}`);
  }
  for (const [k, v] of Object.entries(ours.CodeActionKind)) assert.equal((lsp.CodeActionKind as unknown as Record<string, unknown>)[k], v, `CodeActionKind.${k}`);
  const range = { start: { line: 1, character: 2 }, end: { line: 3, character: 4 } };
  assert.deepEqual(ours.TextEdit.replace(range, 'x'), lsp.TextEdit.replace(range, 'x'));
  assert.deepEqual(ours.Location.create('file:///a', range), lsp.Location.create('file:///a', range));
  assert.deepEqual(ours.CreateFile.create('file:///a'), lsp.CreateFile.create('file:///a'));
  const id = { uri: 'file:///a', version: 3 };
  assert.deepEqual(ours.TextDocumentEdit.create(id, [ours.TextEdit.replace(range, 'x')]), lsp.TextDocumentEdit.create(id, [lsp.TextEdit.replace(range, 'x')]));
});

test('no source carries a linter pragma for a linter the project does not run', () => {
  const found = [join(ROOT, 'server', 'src'), join(ROOT, 'client', 'src')].flatMap(sources)
    .filter((f) => /eslint-disable/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(ROOT, f));
  assert.deepEqual(found, []);
});
