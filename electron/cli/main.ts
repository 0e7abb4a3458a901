import { Command } from 'commander';
import { registerServerCommands } from './commands/server';

/** `berth`: the desktop app's engine from a terminal or a CI job, on the same records. */
export function buildProgram(): Command {
  const program = new Command('berth')
    .description('Deploy and roll back apps on your own servers over SSH and Docker.')
    .option('--home <dir>', "Berth's data folder (default: the desktop app's; env BERTH_HOME)")
    .option('--json', 'print machine-readable JSON')
    .option('--accept-host-key <fingerprint...>', 'trust this host key fingerprint (SHA256:...) without asking')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  program.exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 2);
  });
  registerServerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
