// End to end with a real LSP client that is not VS Code: Debian's Neovim 0.7 starts the bundled
// server over stdio, opens a broken replication.config and must receive the diagnostics.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SERVER, scratch } from '../support/helpers';
import { withTimeout } from '../support/lsp-client';

const NVIM = '/usr/bin/nvim';
const s = scratch('gr-nvim-');
let pid: number | undefined;
after(() => {
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already exited
    }
  }
  s.cleanup();
});

test('Neovim (vim.lsp.start_client) gets the syntax error of a broken replication.config', async () => {
  assert.ok(existsSync(NVIM), `${NVIM} is missing: install Debian's neovim (npm test does this as root)`);
  mkdirSync(join(s.dir, 'etc'));
  const file = join(s.dir, 'etc', 'replication.config');
  // Line 3 (0-based 2) opens a section header it never closes.
  writeFileSync(file, '[gerrit]\n  autoReload = true\n[remote "mirror"\n  url = ssh://mirror/${name}.git\n');
  const out = join(s.dir, 'diagnostics.json');
  const home = join(s.dir, 'home');
  mkdirSync(home);
  const child = spawn(NVIM, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(ROOT, 'test', 'nvim', 'diagnostics.lua')}`], {
    cwd: s.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_STATE_HOME: join(home, 'state'),
      GR_NODE: process.execPath,
      GR_SERVER: SERVER,
      GR_FILE: file,
      GR_OUT: out,
    },
  });
  pid = child.pid;
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stderr += d));
  const code = await withTimeout(new Promise<number | null>((r) => child.on('exit', (c) => r(c))), 40_000, 'nvim to exit');
  pid = undefined;
  assert.equal(code, 0, `nvim exited ${code}: ${stderr}`);

  const diags = JSON.parse(readFileSync(out, 'utf8')) as Array<{ lnum: number; severity: number; code: string; message: string; source: string }>;
  const syntax = diags.filter((d) => /syntax/.test(String(d.code)));
  assert.ok(syntax.length >= 1, JSON.stringify(diags));
  assert.equal(syntax[0].lnum, 2);
  assert.equal(syntax[0].severity, 1); // vim.diagnostic.severity.ERROR
  assert.match(syntax[0].message, /\S/);
});
