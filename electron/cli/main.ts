import { Command } from 'commander';
import packageJson from '../../package.json';
import { collect } from './args';
import { registerAppCommands } from './commands/app';
import { registerPlanCommand } from './commands/build';
import { registerDeployCommand } from './commands/deploy';
import { registerHistoryCommand } from './commands/history';
import { registerLogsCommand } from './commands/logs';
import { registerPreviewCommands } from './commands/preview';
import { registerReleaseCommands } from './commands/release';
import { registerRollbackCommand } from './commands/rollback';
import { registerServerCommands } from './commands/server';
import { registerStatusCommand } from './commands/status';
import { registerWatchCommand } from './commands/watch';
import { EXIT } from './exit-codes';

/** `berth`: the desktop app's engine from a terminal or a CI job, on the same records. */
export function buildProgram(): Command {
  const program = new Command('berth')
    .description('Deploy and roll back apps on your own servers over SSH and Docker.')
    .version(packageJson.version, '-V, --version', 'print the version of Berth')
    .option('--home <dir>', "Berth's data folder (default: the desktop app's; env BERTH_HOME)")
    .option('--json', 'print machine-readable JSON on stdout')
    .option('--accept-host-key <fingerprint>', 'trust this host key fingerprint (SHA256:...) without asking (repeatable)', collect)
    .showHelpAfterError('(run with --help for usage and examples)')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (text, write) => write(text) })
    .addHelpText(
      'after',
      `
Exit status: 0 ok, 1 failed, 2 bad usage, 3 refused (nothing was changed), 4 a server could not be reached.
Without a terminal Berth never asks: unknown host keys are refused (pin them with --accept-host-key) and
commands that would ask for confirmation need --yes.

Examples:
  $ berth server add prod-eu --host 203.0.113.7 -i ~/.ssh/id_ed25519
  $ berth app add web --server prod-eu --folder . --domain web.example.com
  $ berth deploy web --title "New pricing page"
  $ berth history web
  $ berth rollback web --to 12 --yes
  $ berth logs web -f
  $ BERTH_HOME=/tmp/ci-berth berth status --json`,
    );
  program.exitOverride((error) => {
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  });
  registerServerCommands(program);
  registerAppCommands(program);
  registerDeployCommand(program);
  registerPlanCommand(program);
  registerPreviewCommands(program);
  registerRollbackCommand(program);
  registerReleaseCommands(program);
  registerHistoryCommand(program);
  registerLogsCommand(program);
  registerStatusCommand(program);
  registerWatchCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}

