import type { Command } from 'commander';
import { runAndWatch, reportOutcome } from '../deployment-watch';
import { exitCodeForDeployment } from '../exit-codes';
import { resolveApp } from '../resolve';
import { run } from '../run';

interface DeployOptions {
  server?: string;
  title?: string;
  description?: string;
  ref?: string;
  clean?: boolean;
  followBuild?: boolean;
}

export function registerDeployCommand(program: Command): void {
  program
    .command('deploy')
    .description('build an app from its source and switch it live without downtime')
    .argument('<app>', 'the app to deploy')
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)')
    .option('-t, --title <title>', 'a title for this deployment in the history (default: the commit message or the source)')
    .option('-m, --description <text>', 'a longer note kept with the deployment')
    .option('--ref <ref>', 'git branch, tag or commit to build, for this deployment only')
    .option('--clean', 'build without the layer cache')
    .option('--follow-build', 'print the build log as it is written (the default on a terminal)')
    .option('--no-follow-build', 'print only the phases')
    .addHelpText(
      'after',
      `
Phases (queued → building → starting → health-checking → live) are printed on stderr; the result on stdout
(with --json, the final Deployment). Ctrl+C cancels this deployment; the live version keeps serving.

Exit status: 0 live, 1 failed or cancelled, 3 refused, 4 the server could not be reached.

Examples:
  $ berth deploy web
  $ berth deploy web --server prod-eu --title "Fix the login redirect"
  $ berth deploy api --ref v2.3.1 --json > deployment.json`,
    )
    .action((name: string, options: DeployOptions, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await resolveApp(ctx, name, options.server);
        const final = await runAndWatch(
          ctx,
          () =>
            ctx.call('deployments.deploy', {
              serverId: server.id,
              app: app.name,
              trigger: 'cli',
              ...(options.title !== undefined ? { title: options.title } : {}),
              ...(options.description !== undefined ? { description: options.description } : {}),
              ...(options.ref !== undefined ? { ref: options.ref } : {}),
              ...(options.clean ? { clean: true } : {}),
            }),
          { followBuild: options.followBuild ?? ctx.out.interactive, verb: 'Deploying' },
        );
        reportOutcome(ctx, final);
        return exitCodeForDeployment(final);
      }),
    );
}
