// E2E harness: the packaged .vsix in a real VS Code (code-server from the cache), driven by
// playwright-core in Debian's Chromium. One instance per test file, shared by its tests.
// Every wait is on a DOM condition; screenshots go to test-results/ (git-ignored).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, afterEach, before } from 'node:test';
import { chromium, type BrowserContext, type Page, type FrameLocator, type Locator } from 'playwright-core';
import { ROOT } from '../support/helpers';

// The scripts are ES modules; TypeScript's CommonJS output would turn import() into require().
const importEsm = new Function('u', 'return import(u)') as (u: string) => Promise<any>;
export const scripts = {
  codeServer: () => importEsm(pathToFileURL(join(ROOT, 'scripts', 'codeServer.mjs')).href),
  pkg: () => importEsm(pathToFileURL(join(ROOT, 'scripts', 'package.mjs')).href),
  demo: () => importEsm(pathToFileURL(join(ROOT, 'scripts', 'demoSite.mjs')).href),
};

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const RESULTS = join(ROOT, 'test-results');
const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';

export interface VsCode {
  page: Page;
  url: string;
  userDataDir: string;
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * One VS Code for a whole test file: `start` prepares the site and launches it before the first
 * test; after each test a screenshot is kept, and a context menu a failed test left open is
 * closed (it would swallow the next test's clicks); at the end VS Code is closed, then `cleanup`
 * runs. `escapeFirst`: press Escape before the screenshot too (widgets of the editor tests).
 */
export function oneVsCodePerFile(start: () => Promise<VsCode>, cleanup?: () => unknown, o: { escapeFirst?: boolean } = {}): void {
  let vs: VsCode | undefined;
  before(async () => {
    vs = await start();
  });
  afterEach(async (t) => {
    if (!vs) return;
    if (o.escapeFirst) await vs.page.keyboard.press('Escape').catch(() => undefined);
    await vs.shot(`after-${(t as { name?: string }).name?.replace(/\W+/g, '-').slice(0, 40) ?? 'test'}`).catch(() => undefined);
    if (await vs.page.locator('.context-view .monaco-menu').isVisible().catch(() => false)) await vs.page.keyboard.press('Escape');
  });
  after(async () => {
    await vs?.close();
    await cleanup?.();
  });
}

/** Waits until the extension is active: its Replication queue item is in the status bar. */
export async function activated(vs: VsCode): Promise<VsCode> {
  await vs.page.locator('.statusbar-item[aria-label*="Replication queue"]').first().waitFor();
  return vs;
}

export async function launchVsCode(opts: { workspace: string; trust: boolean; settings?: Record<string, unknown>; env?: Record<string, string>; name: string }): Promise<VsCode> {
  const { startCodeServer } = await scripts.codeServer();
  const { packageExtension } = await scripts.pkg();
  const tmp = mkdtempSync(join(tmpdir(), 'gr-e2e-'));
  const { vsix } = packageExtension({ out: join(tmp, 'git-replication.vsix') });
  const cs = await startCodeServer({ workspace: opts.workspace, vsix, trust: opts.trust, settings: opts.settings ?? {}, env: opts.env ?? {} });
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(join(tmp, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(45000); // generous: CI machines are shared; every wait is a DOM condition
    await page.goto(cs.folderUrl);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    mkdirSync(RESULTS, { recursive: true });
    let n = 0;
    return {
      page,
      url: cs.folderUrl,
      userDataDir: cs.userDataDir,
      async shot(name: string) {
        const file = join(RESULTS, `${opts.name}-${String(++n).padStart(2, '0')}-${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async close() {
        // Keep the extension's log next to the screenshots.
        try {
          writeFileSync(join(RESULTS, `${opts.name}-extension.log`), readExtensionLog(cs.userDataDir));
        } catch {
          /* no log */
        }
        await context?.close().catch(() => undefined);
        await cs.stop();
        rmSync(tmp, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await context?.close().catch(() => undefined);
    await cs.stop();
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Runs a command from the command palette by its full title ("Git Replication: Show Log"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await openPalette(page, title);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' }).catch(() => undefined);
}

/** Runs an editor command (one whose palette entry needs the text editor focused, such as
 *  "Fix All"): clicks into the active editor's text first, and tries again while the palette
 *  does not list it yet (the editor's context keys settle a moment after the editor opens). */
export async function runEditorCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await openPalette(page, title);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 5_000 });
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' }).catch(() => undefined);
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (Date.now() > end) throw e;
    }
  }
}

export async function openPalette(page: Page, text: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${text}`);
}

/** Titles the command palette lists for a filter. */
export async function paletteEntries(page: Page, text: string): Promise<string[]> {
  await openPalette(page, text);
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows.first().waitFor();
  const labels = await rows.allInnerTexts();
  await page.keyboard.press('Escape');
  return labels.map((l) => l.split('\n')[0].trim());
}

/** Opens a workspace file through Quick Open and waits for its editor tab. */
export async function openFile(page: Page, relPath: string, tabName: string): Promise<void> {
  await page.keyboard.press(`${MOD}+P`);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(relPath);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: tabName }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label*="${tabName}"]`).first().waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/** Reads the newest log file of our output channel (VS Code writes output channels to disk). */
export function readExtensionLog(userDataDir: string): string {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'Git Replication.log' || /-Git Replication\.log$/.test(e.name)) hits.push(p);
    }
  };
  walk(join(userDataDir, 'logs'));
  hits.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return hits.length ? readFileSync(hits[0], 'utf8') : '';
}

/** Polls a condition that is not in the DOM (a file on disk, a log) until it holds. */
export async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
}

/**
 * Runs a context-menu item, clicking it again while the menu stays open: seen under load in a
 * full run, a click that lands while the menu is still settling leaves it open with the item
 * merely highlighted. Running the item closes the menu, so a second click never runs it twice.
 */
export async function pickMenuItem(menu: Locator, label: string): Promise<void> {
  const item = menu.locator('.action-item', { hasText: label }).first();
  await until(`"${label}" to run from the context menu`, async () => {
    if (!(await menu.isVisible())) return true;
    await item.click({ timeout: 5000 }).catch(() => undefined);
    await menu.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
    return !(await menu.isVisible());
  });
}

/** The Remotes view's pane. */
export function remotesPane(page: Page): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Remotes/i }) });
}

/** Shows the Remotes view (a click on the activity bar icon would hide it when it is shown) once its rows are there. */
export async function openRemotes(page: Page): Promise<Locator> {
  const pane = remotesPane(page);
  if (!(await pane.locator('.monaco-list-row').first().isVisible().catch(() => false))) await page.locator('.activitybar a.action-label[aria-label^="Git Replication"]').click();
  await pane.locator('.monaco-list-row[aria-label^="local"]').first().waitFor();
  return pane;
}

/** Expands a collapsed tree row (no-op when open). */
export async function expand(row: Locator): Promise<void> {
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
  await until('the row to expand', async () => (await row.getAttribute('aria-expanded')) === 'true');
}

export function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/**
 * Saves the active editor until `onDisk` holds: an edit (a quick fix, Fix All) lands a moment
 * after its key press, and a save before it writes the old text.
 */
export async function saveUntil(page: Page, what: string, onDisk: () => boolean, timeoutMs = 30000): Promise<void> {
  await until(what, async () => {
    if (onDisk()) return true;
    await page.keyboard.press(`${MOD}+S`);
    await new Promise((r) => setTimeout(r, 500));
    return onDisk();
  }, timeoutMs);
}

/** "Replicate Project…" from the palette: the project, then only `remoteLabel` among its remotes; OK. */
export async function replicateProject(vs: VsCode, project: string, remoteLabel: string): Promise<void> {
  const { page } = vs;
  await openPalette(page, 'Git Replication: Replicate Project…');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Replicate Project…' }).first().waitFor();
  await page.keyboard.press('Enter');
  // Step 1: the project.
  const title = page.locator('.quick-input-widget .quick-input-title', { hasText: 'project' });
  await title.waitFor();
  await page.locator('.quick-input-widget input').fill(project);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: project }).first().waitFor();
  await page.keyboard.press('Enter');
  // Step 2: remotes or URLs (multi-select, all remotes picked): untick all, tick the wanted one.
  await page.locator('.quick-input-widget .quick-input-title', { hasText: `where to push ${project}` }).waitFor();
  const all = page.locator('.quick-input-widget [role="checkbox"][aria-label="Toggle all checkboxes"]');
  if ((await all.getAttribute('aria-checked')) === 'true') await all.click();
  await page.locator('.quick-input-widget .quick-input-count', { hasText: '0 Selected' }).waitFor();
  // The "Toggle all checkboxes" hover can cover the first row's checkbox: move away until it is gone.
  await page.mouse.move(0, 0);
  await page.locator('.context-view .hover-contents', { hasText: 'Toggle all' }).waitFor({ state: 'detached' });
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: remoteLabel }).first().locator('.monaco-checkbox').click();
  await page.locator('.quick-input-widget .quick-input-count', { hasText: '1 Selected' }).waitFor();
  await vs.shot(`pick-${project}`);
  await page.locator('.quick-input-widget .quick-input-action .monaco-button, .quick-input-widget a.monaco-button', { hasText: 'OK' }).first().click();
}

export { MOD };
