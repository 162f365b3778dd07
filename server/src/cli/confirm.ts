// Asking the person at the terminal: only when both stdin and stderr are terminals (a pipe, a
// cron job or a CI log never gets a question it cannot answer; the caller decides instead).
import { createInterface } from 'node:readline';

/** true: yes; false: anything else; undefined: not a terminal, nobody to ask. */
export async function confirmOnTerminal(question: string): Promise<boolean | undefined> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
