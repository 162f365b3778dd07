// Which argv of the engine's verbs is gitolite mirroring mode; kept apart from cli/mirror so the
// dispatcher can tell without loading the mirroring code.

/**
 * `plan --gitolite HOME …` and `start --gitolite HOME …` (the engine's verbs) mean `mirror plan`
 * and `mirror push`; Gerrit's --wait and --now have no meaning there (a push always waits).
 * Returns the mirror argv, or undefined when `argv` is not the gitolite form.
 */
export function gitoliteForm(command: string, argv: string[]): string[] | undefined {
  if (command !== 'plan' && command !== 'start') return undefined;
  if (!argv.some((a) => a === '--gitolite' || a.startsWith('--gitolite='))) return undefined;
  return [command === 'plan' ? 'plan' : 'push', ...argv.filter((a) => a !== '--wait' && a !== '--now')];
}
