// A real VS Code for the demo and the e2e tests: code-server from npm, installed into a
// git-ignored cache keyed on its version (../shared/recipes/code-server.md), started on
// 127.0.0.1 with a throwaway user-data-dir, stopped by its own process group id.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, renameSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// 4.100.3 (VS Code 1.100.3) is the newest code-server whose engines field is Node 20.
export const CODE_SERVER_VERSION = '4.100.3';
const MARKER = '.installed';

export function codeServerDir(version = CODE_SERVER_VERSION) {
  return join(root, '.cache', `code-server-${version}`);
}

export function codeServerBin(version = CODE_SERVER_VERSION) {
  return join(codeServerDir(version), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function sh(cmd, args, cwd, log) {
  log(`$ (cd ${cwd} && ${cmd} ${args.join(' ')})`);
  // npm_config_yes lets node-pty's build fetch node-gyp from the registry without a prompt.
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, npm_config_yes: 'true' } });
  if (r.status !== 0) {
    throw new Error(`code-server install step failed: ${cmd} ${args.join(' ')} (in ${cwd}), exit ${r.status}\n${(r.stderr || '').slice(-4000)}\n${(r.stdout || '').slice(-2000)}`);
  }
}

function link(target, path) {
  try {
    lstatSync(path);
    unlinkSync(path);
  } catch {
    /* absent */
  }
  symlinkSync(target, path);
}

function installInto(dir, version, log) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }) + '\n');
  // Its postinstall downloads ripgrep from the internet: install without scripts, do its steps by hand.
  sh('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', `code-server@${version}`], dir, log);
  sh('npm', ['rebuild', 'argon2'], dir, log);
  const vs = join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  sh('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], vs, log);
  mkdirSync(join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin'), { recursive: true });
  link('/usr/bin/rg', join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
  sh('npm', ['rebuild', 'node-pty', '@vscode/spdlog', '@parcel/watcher', 'kerberos', 'native-watchdog', '@vscode/deviceid'], vs, log);
  link('node_modules', join(vs, 'node_modules.asar'));
  link('code-linux.sh', join(vs, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(vs, 'bin', 'helpers', 'browser.sh'));
  sh('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], join(vs, 'extensions'), log);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Installs code-server once per version (idempotent). Concurrent callers (two test files at
 * once) wait on a lock directory instead of installing twice. Returns the entry script.
 */
export async function ensureCodeServer({ version = CODE_SERVER_VERSION, log = (m) => console.error(m) } = {}) {
  const dir = codeServerDir(version);
  const marker = join(dir, MARKER);
  if (existsSync(marker) && existsSync(codeServerBin(version))) return codeServerBin(version);
  for (const [pkg, file] of [['ripgrep', '/usr/bin/rg'], ['libkrb5-dev', '/usr/include/krb5.h']]) {
    if (!existsSync(file)) throw new Error(`code-server needs the Debian package ${pkg} (${file} is missing); run scripts/setup.mjs as root`);
  }
  mkdirSync(join(root, '.cache'), { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      if (existsSync(marker)) return codeServerBin(version);
      let holder = 0;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        /* being written */
      }
      if (holder && !pidAlive(holder)) rmSync(lock, { recursive: true, force: true });
      await sleep(1000);
    }
  }
  try {
    if (existsSync(marker)) return codeServerBin(version);
    log(`code-server: installing ${version} into ${dir} (a few minutes, once)`);
    const t0 = Date.now();
    // Build in a side directory and rename, so an interrupted install never looks complete.
    const tmp = `${dir}.partial`;
    rmSync(tmp, { recursive: true, force: true });
    installInto(tmp, version, log);
    writeFileSync(join(tmp, MARKER), `${version}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    log(`code-server: installed in ${Math.round((Date.now() - t0) / 1000)} s`);
    return codeServerBin(version);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A free TCP port on 127.0.0.1 (asks the kernel for an ephemeral one). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

/** Waits until `url` answers HTTP (any status below 500). */
export async function waitForHttp(url, timeoutMs = 60000, child) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child && child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before answering`);
    const s = await httpStatus(url);
    if (s > 0 && s < 500) return s;
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Quiet, offline user settings for a throwaway profile. */
export const DEFAULT_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.startupPrompt': 'always',
  'files.autoSave': 'off',
};

/**
 * Installs a .vsix into an extensions dir with code-server's own CLI (what a user would do).
 */
export function installExtension({ vsix, extensionsDir, userDataDir, version = CODE_SERVER_VERSION }) {
  const r = spawnSync(process.execPath, [codeServerBin(version), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
    encoding: 'utf8',
    env: cleanEnv(),
  });
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
    throw new Error(`installing ${vsix} into code-server failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  // Don't let an outer VS Code / test runner leak into the editor's extension host.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'NODE_OPTIONS' || k === 'NODE_TEST_CONTEXT') delete env[k];
  return env;
}

/**
 * Starts code-server on 127.0.0.1 with a fresh profile and the .vsix installed.
 * trust: true passes --disable-workspace-trust; false leaves the trust dialog on.
 * Returns { url, port, pid, dir, userDataDir, output(), stop() }.
 */
export async function startCodeServer({ workspace, vsix, trust = true, settings = {}, env = {}, log = () => {}, version = CODE_SERVER_VERSION } = {}) {
  const bin = await ensureCodeServer({ version, log });
  const dir = mkdtempSync(join(tmpdir(), 'gr-code-server-'));
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...settings }, null, 2));
  if (vsix) installExtension({ vsix, extensionsDir, userDataDir, version });
  const port = await freePort();
  const args = [bin, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  if (trust) args.push('--disable-workspace-trust');
  if (workspace) args.push(workspace);
  // Own process group, so stop() reaches code-server's children (extension host, servers) too.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv({ ...env }) });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    log(String(d).trimEnd());
  });
  child.stderr.on('data', (d) => {
    out += d;
    log(String(d).trimEnd());
  });
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const end = Date.now() + 5000;
      while (child.exitCode === null && child.signalCode === null && Date.now() < end) await sleep(100);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}healthz`, 60000, child);
  } catch (e) {
    await stop();
    throw new Error(`${e.message}\ncode-server output:\n${out.slice(-4000)}`);
  }
  const folderUrl = workspace ? `${url}?folder=${encodeURIComponent(workspace)}` : url;
  return { url, folderUrl, port, pid: child.pid, dir, userDataDir, extensionsDir, output: () => out, stop, child };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cmd = process.argv[2] ?? 'install';
  if (cmd === 'install') {
    await ensureCodeServer({ log: (m) => console.error(m) });
    console.log(codeServerBin());
  } else {
    console.error('usage: node scripts/codeServer.mjs install');
    process.exit(2);
  }
}
