// Real git as the oracle for the git-config parser: run `git config --file F --list --null`
// on many files with a small process pool, compare with our parse, and shrink failing cases.
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineIndex, parseGitConfig, toGitList } from '../../server/src/gitconfig/parser';

export type GitList = Array<[string, string | null]>;
/** git's verdict on a file: its (name, value) list, or null when it refuses the file. */
export type Verdict = GitList | null;

// git must read only the file we name: no system/global config, no inherited GIT_* settings.
const GIT_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

export function decodeList(out: Buffer): GitList {
  const text = out.toString('utf8');
  const recs = text.split('\0');
  recs.pop(); // every record ends with NUL
  return recs.map((rec) => {
    const nl = rec.indexOf('\n');
    return nl < 0 ? [rec, null] : [rec.slice(0, nl), rec.slice(nl + 1)];
  });
}

function verdictOf(status: number | null, stdout: Buffer, stderr: string, file: string): Verdict {
  if (status === 0) return decodeList(stdout);
  // 128 is git's die(); anything else (git missing, killed) must fail the test loudly.
  if (status === 128 && /bad config|fatal/.test(stderr)) return null;
  throw new Error(`git config on ${file} exited ${status}: ${stderr}`);
}

export function gitVerdictSync(file: string): Verdict {
  const r = spawnSync('git', ['config', '--file', file, '--list', '--null'], { env: GIT_ENV, encoding: 'buffer' });
  if (r.error) throw r.error;
  return verdictOf(r.status, r.stdout, r.stderr.toString('utf8'), file);
}

function gitVerdict(file: string): Promise<{ verdict: Verdict; line?: number }> {
  return new Promise((resolve, reject) => {
    execFile('git', ['config', '--file', file, '--list', '--null'], { env: GIT_ENV, encoding: 'buffer', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const status = err ? ((err as NodeJS.ErrnoException & { code?: unknown }).code as number | string | undefined) : 0;
      if (typeof status !== 'number') return reject(err);
      try {
        const text = stderr.toString('utf8');
        const m = /bad config line (\d+)/.exec(text);
        resolve({ verdict: verdictOf(status, stdout, text, file), line: m ? Number(m[1]) : undefined });
      } catch (e) {
        reject(e);
      }
    });
  });
}

/**
 * Write every text to `dir` and ask git about each, `width` processes at a time. When
 * `rejectLines` is given, it receives the line git names in "bad config line N" per file.
 */
export async function gitVerdicts(dir: string, texts: string[], width = 4, rejectLines?: Array<number | undefined>): Promise<Verdict[]> {
  const files = texts.map((t, i) => {
    const f = join(dir, `case-${i}.config`);
    writeFileSync(f, t);
    return f;
  });
  const out: Verdict[] = new Array(texts.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const r = await gitVerdict(files[i]);
      out[i] = r.verdict;
      if (rejectLines) rejectLines[i] = r.line;
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

/** Why our parse disagrees with git's verdict, or null when it agrees. */
export function disagreement(text: string, verdict: Verdict): string | null {
  let doc;
  try {
    doc = parseGitConfig(text);
  } catch (err) {
    return `parser threw: ${(err as Error).stack}`;
  }
  for (const e of doc.errors) {
    if (!(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length)) return `error span out of range: ${JSON.stringify(e)}`;
  }
  if (verdict === null) return doc.errors.length > 0 ? null : 'git rejects the file but we report no error';
  if (doc.errors.length > 0) return `git accepts the file but we report: ${doc.errors.map((e) => e.message).join('; ')}`;
  const ours = JSON.stringify(toGitList(doc));
  const theirs = JSON.stringify(verdict);
  return ours === theirs ? null : `lists differ:\n  ours: ${ours}\n  git:  ${theirs}`;
}

/**
 * Whether our first error is on the line git names. git counts a newline it has already read
 * when a section header fails on it (`[a "b"` then newline), so it may name the next line.
 */
export function errorLineAgrees(text: string, gitLine: number | undefined): string | null {
  if (gitLine === undefined) return 'git named no line';
  const doc = parseGitConfig(text);
  const first = doc.errors[0];
  if (!first) return 'no error';
  const ours = new LineIndex(text).position(first.span.start).line + 1;
  if (ours === gitLine) return null;
  if (gitLine === ours + 1 && text[first.span.start] === '[') return null;
  return `git rejects line ${gitLine}, our first error is on line ${ours}: ${first.message}`;
}

/**
 * Shrink a failing text while it still fails (our parse disagrees with git): drop lines, then
 * single characters. Small inputs only, so plain greedy passes are fast enough.
 */
export function minimise(text: string, file: string): string {
  const fails = (t: string) => {
    writeFileSync(file, t);
    return disagreement(t, gitVerdictSync(file)) !== null;
  };
  let cur = text;
  const pass = (split: (t: string) => string[]) => {
    let changed = true;
    while (changed) {
      changed = false;
      const parts = split(cur);
      for (let i = 0; i < parts.length; ) {
        const cand = [...parts.slice(0, i), ...parts.slice(i + 1)].join('');
        if (fails(cand)) {
          parts.splice(i, 1);
          cur = cand;
          changed = true;
        } else i++;
      }
    }
  };
  pass((t) => t.match(/[^\n]*\n|[^\n]+$/g) ?? []);
  pass((t) => Array.from(t));
  return cur;
}
