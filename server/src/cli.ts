// `git-replication` command-line entry point. Each sub-command lives in cli/<name>.ts.
import { UsageError } from './cli/args';
import { gitoliteForm } from './cli/gitoliteForm';
import { useCodeCache } from './cli/codeCache';

type Io = { out: (s: string) => void; err: (s: string) => void };
type Command = (argv: string[], io: Io) => Promise<number>;

// Each command's module is required when it runs. In dist/ they are separate bundles
// (cli-check.js, cli-hook.js, cli-engine.js; see esbuild.mjs), so a cold `check` or
// post-receive hook loads only its own code.
const check = () => require('./cli/check') as typeof import('./cli/check');
const hook = () => require('./cli/hook') as typeof import('./cli/hook');
const engine = () => require('./cli/engineCommands') as typeof import('./cli/engineCommands');

export const COMMANDS: Record<string, () => { run: Command; usage: string }> = {
  check: () => ({ run: check().checkCommand, usage: check().CHECK_USAGE }),
  plan: () => ({ run: engine().planCommand, usage: engine().PLAN_USAGE }),
  start: () => ({ run: engine().startCommand, usage: engine().START_USAGE }),
  list: () => ({ run: engine().listCommand, usage: engine().LIST_USAGE }),
  daemon: () => ({ run: engine().daemonCommand, usage: engine().DAEMON_USAGE }),
  hook: () => ({ run: hook().hookCommand, usage: hook().HOOK_USAGE }),
  mirror: () => ({ run: engine().mirrorCommand, usage: engine().MIRROR_USAGE }),
  'delete-project': () => ({ run: engine().deleteProjectCommand, usage: engine().DELETE_PROJECT_USAGE }),
  status: () => ({ run: engine().statusCommand, usage: engine().STATUS_USAGE }),
  explain: () => ({ run: engine().explainCommand, usage: engine().EXPLAIN_USAGE }),
};

const USAGE = `usage: git-replication <command> [options]

commands:
${Object.keys(COMMANDS).map((c) => '  ' + c).join('\n')}

Run 'git-replication <command> --help' for a command's options.
Exit codes: 0 success, 1 failure (or errors found), 2 usage error.`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`git-replication: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  let cmd: { run: Command; usage: string } | undefined;
  try {
    cmd = load();
    // `plan --gitolite HOME` / `start --gitolite HOME` are the gitolite mirroring mode.
    const gitolite = gitoliteForm(name, rest);
    if (gitolite) return await engine().mirrorCommand(gitolite, io);
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`git-replication ${name}: ${err.message}\n${cmd?.usage ?? ''}`);
      return 2;
    }
    io.err(`git-replication ${name}: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  useCodeCache(__dirname, process.env.GIT_REPLICATION_WRITE_CODE_CACHE === '1');
  const io: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
