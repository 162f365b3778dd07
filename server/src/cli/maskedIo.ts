// Every line a command prints (check findings, plan output, pending deletions, daemon log
// lines, error messages) goes through the one mask (service/secrets). The dispatcher
// (cli.ts) stays free of the service layer, so each command bundle applies it itself.
import { maskSecrets } from '../service/secrets';

export type Io = { out: (s: string) => void; err: (s: string) => void };
type Command = (argv: string[], io: Io) => Promise<number>;

export function maskedIo(io: Io): Io {
  return { out: (s) => io.out(maskSecrets(s)), err: (s) => io.err(maskSecrets(s)) };
}

/** `cmd` printing only masked lines; a message it throws is masked too. */
export function masked(cmd: Command): Command {
  return async (argv, io) => {
    try {
      return await cmd(argv, maskedIo(io));
    } catch (err) {
      if (err instanceof Error) err.message = maskSecrets(err.message);
      throw err;
    }
  };
}
