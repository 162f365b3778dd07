// A small argv parser shared by every sub-command: long flags with values, repeatable flags,
// booleans and positionals, with a usage error (exit 2) for anything unknown.

export class UsageError extends Error {}

export interface FlagSpec {
  /** 'bool' takes no value; 'string' takes one; 'list' takes one and may repeat. */
  [name: string]: 'bool' | 'string' | 'list';
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const kind = spec[name];
      if (!kind) throw new UsageError(`unknown option --${name}`);
      if (kind === 'bool') {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`);
        flags[name] = true;
        continue;
      }
      let value: string | undefined = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      if (kind === 'list') ((flags[name] as string[] | undefined) ?? (flags[name] = [] as string[]) as string[]).push(value);
      else flags[name] = value;
      continue;
    }
    if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    positionals.push(a);
  }
  return { flags, positionals };
}
