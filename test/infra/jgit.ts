// The real JGit as a test oracle: a pinned jar (and what it needs at run time) obtained once
// through Maven into .cache/jgit/, and a long-lived probe process (test/infra/JGitProbe.java,
// run by Java's single-file source launch) that answers one config file per line.
//
// Gerrit's release war is not served by this machine's Maven registry (every
// com.google.gerrit artifact is refused), so the plugin itself is not run here; its parser and
// getters are JGit's, and those are. Gerrit 3.11 builds JGit from its modules/jgit submodule on
// the stable-7.1 line; 7.1.1 is the newest stable-7.1 release Maven serves.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const JGIT_VERSION = '7.1.1.202505221757-r';

const root = join(__dirname, '..', '..', '..'); // out/test/infra → repository root
const cacheDir = join(root, '.cache', 'jgit', JGIT_VERSION);
export const PROBE_SOURCE = join(root, 'test', 'infra', 'JGitProbe.java');

function need(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`${cmd} is needed for the JGit differential test and does not run (${r.error?.message ?? r.stderr.trim()}); ` +
      `install it (Debian: maven, openjdk-17-jdk-headless; npm test installs them when run as root)`);
  }
}

/** The class path of the pinned JGit and its run-time dependencies; downloads them on first use. */
export function jgitClasspath(): string {
  const lib = join(cacheDir, 'lib');
  const jars = () => (existsSync(lib) ? readdirSync(lib).filter((f) => f.endsWith('.jar')) : []);
  if (!jars().some((f) => f.startsWith('org.eclipse.jgit-'))) {
    need('java', ['-version']);
    need('mvn', ['-v']);
    mkdirSync(cacheDir, { recursive: true });
    // A throw-away pom: copy-dependencies resolves JGit's own dependencies (slf4j-api,
    // JavaEWAH, commons-codec) from its pom, so nothing is listed by hand.
    writeFileSync(join(cacheDir, 'pom.xml'), `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.test</groupId><artifactId>jgit-probe</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.eclipse.jgit</groupId><artifactId>org.eclipse.jgit</artifactId><version>${JGIT_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
`);
    const r = spawnSync('mvn', ['-B', '-q', '-f', join(cacheDir, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mvn could not fetch JGit ${JGIT_VERSION}: ${(r.stdout + r.stderr).trim().slice(-2000)}`);
    if (!jars().some((f) => f.startsWith('org.eclipse.jgit-'))) throw new Error(`mvn ran but ${lib} has no JGit jar`);
  }
  return jars().map((f) => join(lib, f)).join(':');
}

export interface ProbeRemote {
  name: string;
  uris: string[];
  pushURIs: string[];
  push: string[];
  fetch: string[];
  mirror: boolean;
  timeout: number;
}

export type ProbeAnswer =
  | { ok: false; error: string; causes: string[]; probeError?: string }
  | {
    ok: true;
    remotes: ProbeRemote[] | null;
    remotesError?: string[];
    kept: string[];
    reads: Array<{ k: string; v?: unknown; err?: string }>;
    dump: Array<[string, string | null, string, string[]]>;
  };

/** One typed read the plugin does: `*` as subsection means every remote it keeps. */
export interface ProbeRead {
  type: 'int' | 'long' | 'bool' | 'string' | 'list';
  section: string;
  subsection: string | null | '*';
  name: string;
  default?: number | boolean;
}

/** A running probe: ask() sends one file, answers come back in order. Stop it with stop(). */
export class JGitProbe {
  readonly jgit: string;
  private waiting: Array<(line: string) => void> = [];
  private constructor(private readonly proc: ChildProcessWithoutNullStreams, jgit: string, lines: AsyncIterableIterator<string>) {
    this.jgit = jgit;
    void (async () => {
      for await (const line of lines) this.waiting.shift()?.(line);
      for (const w of this.waiting.splice(0)) w('{"ok":false,"probeError":"probe exited"}');
    })();
  }

  static async start(): Promise<JGitProbe> {
    const cp = jgitClasspath();
    need('java', ['-version']); // the jar may be cached on a machine that has lost its JDK
    const proc = spawn('java', ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-cp', cp, PROBE_SOURCE], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
    const first = await Promise.race([
      lines.next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`JGit probe did not start within 60 s: ${stderr}`)), 60_000).unref()),
      new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`JGit probe exited (${code}): ${stderr}`)))),
      new Promise<never>((_, reject) => proc.once('error', (err) => reject(new Error(`JGit probe did not start: ${err.message}`)))),
    ]);
    const hello = JSON.parse(first.value as string) as { ready: boolean; jgit: string };
    return new JGitProbe(proc, hello.jgit, lines);
  }

  ask(mode: 'file' | 'text', path: string, reads: ProbeRead[] = []): Promise<ProbeAnswer> {
    if (/[\t\n]/.test(path)) throw new Error(`probe paths may not hold tabs or newlines: ${path}`);
    const fields = [mode, path, ...reads.map((r) => [r.type, r.section, r.subsection === null ? '-' : r.subsection, r.name, String(r.default ?? (r.type === 'bool' ? false : 0))].join('|'))];
    return new Promise((resolve) => {
      this.waiting.push((line) => resolve(JSON.parse(line) as ProbeAnswer));
      this.proc.stdin.write(fields.join('\t') + '\n');
    });
  }

  stop(): void {
    if (this.proc.exitCode === null && this.proc.pid !== undefined) {
      this.proc.stdin.end();
      process.kill(this.proc.pid, 'SIGTERM');
    }
  }
}
