// `git-replication` command-line entry point. Each sub-command lives in cli/<name>.ts.
import { UsageError } from './cli/args';
import { checkCommand, CHECK_USAGE } from './cli/check';
import { startCommand, START_USAGE } from './cli/start';
import { listCommand, LIST_USAGE } from './cli/list';
import { planCommand, PLAN_USAGE } from './cli/plan';
import { daemonCommand, DAEMON_USAGE } from './cli/daemon';
import { hookCommand, HOOK_USAGE } from './cli/hook';
import { gitoliteForm, mirrorCommand, MIRROR_USAGE } from './cli/mirror';
import { deleteProjectCommand, DELETE_PROJECT_USAGE } from './cli/deleteProject';

type Io = { out: (s: string) => void; err: (s: string) => void };
type Command = (argv: string[], io: Io) => Promise<number>;

export const COMMANDS: Record<string, { run: Command; usage: string }> = {
  check: { run: checkCommand, usage: CHECK_USAGE },
  plan: { run: planCommand, usage: PLAN_USAGE },
  start: { run: startCommand, usage: START_USAGE },
  list: { run: listCommand, usage: LIST_USAGE },
  daemon: { run: daemonCommand, usage: DAEMON_USAGE },
  hook: { run: hookCommand, usage: HOOK_USAGE },
  mirror: { run: mirrorCommand, usage: MIRROR_USAGE },
  'delete-project': { run: deleteProjectCommand, usage: DELETE_PROJECT_USAGE },
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
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`git-replication: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  try {
    // `plan --gitolite HOME` / `start --gitolite HOME` are the gitolite mirroring mode.
    const gitolite = gitoliteForm(name, rest);
    if (gitolite) return await mirrorCommand(gitolite, io);
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`git-replication ${name}: ${err.message}\n${cmd.usage}`);
      return 2;
    }
    io.err(`git-replication ${name}: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  const io: Io = { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
