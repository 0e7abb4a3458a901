import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Deployment } from '../../../shared/api/deployments';
import { BERTH_FILE_NAME } from '../../../shared/defaults';
import { BerthError } from '../../../shared/errors';
import type { CliContext } from '../context';
import { DeploymentFollower, reportOutcome } from '../deployment-watch';
import { exitCodeForDeployment } from '../exit-codes';
import { awaitPush } from '../push-wait';
import { resolveApp, type ResolvedApp } from '../resolve';
import { notePlan } from './build';
import { run } from '../run';

interface DeployOptions {
  server?: string;
  title?: string;
  description?: string;
  ref?: string;
  clean?: boolean;
  archive?: string;
  root?: string;
  followBuild?: boolean;
  watch: boolean;
  file?: string;
  plan?: boolean;
}

export function registerDeployCommand(program: Command): void {
  program
    .command('deploy')
    .description('build an app from its source and switch it live without downtime')
    .argument('[app]', `the app to deploy (default: the one ${BERTH_FILE_NAME} in this folder defines)`)
    .option('-f, --file <path>', `a berth file defining the server and the app (default: ./${BERTH_FILE_NAME} when no app is named)`)
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)')
    .option('-t, --title <title>', 'a title for this deployment in the history (default: the commit message or the source)')
    .option('-m, --description <text>', 'a longer note kept with the deployment')
    .option('--ref <ref>', 'git branch, tag or commit to build, for this deployment only')
    .option('--clean', 'build without the layer cache')
    .option('--archive <file>', "build this .zip or .tar.gz instead of the app's source (checked before anything is sent)")
    .option('--root <dir>', 'with --archive: the folder inside the archive to build from')
    .option('--plan', 'print the build plan (berth plan) on stderr before deploying')
    .option('--follow-build', 'print the build log as it is written (the default on a terminal)')
    .option('--no-follow-build', 'print only the phases')
    .option('--no-watch', "exit once live instead of staying for the app's watch window (no automatic rollback then)")
    .addHelpText(
      'after',
      `
Phases (queued → building → starting → health-checking → live) are printed on stderr; the result on stdout
(with --json, the final Deployment). Once live, Berth stays for the app's watch window (berth app set --watch)
and rolls the release back automatically if its health check fails. Ctrl+C cancels the deployment while it runs
(the live version keeps serving), or stops watching once it is live. With a registry (berth app set --registry),
the command then waits for the release's push to it (retried with backoff) and says how it went: a push that still
fails leaves the release live (exit 0) with a warning, and is shown in berth history.

Exit status: 0 live, 1 failed, cancelled or rolled back, 3 refused, 4 the server could not be reached.

Examples:
  $ berth deploy web
  $ berth deploy web --server prod-eu --title "Fix the login redirect"
  $ berth deploy api --ref v2.3.1 --no-watch --json > deployment.json
  $ BERTH_HOME=$(mktemp -d) DATABASE_URL=… berth deploy          # in a CI job, from ./${BERTH_FILE_NAME}
  $ berth deploy site --archive site.zip --root site-main`,
    )
    .action((name: string | undefined, options: DeployOptions, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await appToDeploy(ctx, name, options);
        if (options.plan) await notePlan(ctx, server.id, app.name);
        const previewOf = app.previewOf;
        const final = await deployAndWatch(ctx, { followBuild: options.followBuild ?? ctx.out.interactive, verb: 'Deploying', watch: options.watch }, () =>
          // a preview is made again from its app first, as berth preview deploy does
          previewOf ? ctx.call('previews.deploy', { serverId: server.id, app: previewOf.app, ref: previewOf.ref, trigger: 'cli', ...(options.title !== undefined ? { title: options.title } : {}) }) : ctx.call('deployments.deploy', {
            serverId: server.id,
            app: app.name,
            trigger: 'cli',
            ...(options.title !== undefined ? { title: options.title } : {}),
            ...(options.description !== undefined ? { description: options.description } : {}),
            ...(options.ref !== undefined ? { ref: options.ref } : {}),
            ...(options.clean ? { clean: true } : {}),
            ...archiveOption(options),
          }),
        );
        reportOutcome(ctx, final);
        return exitCodeForDeployment(final);
      }),
    );
}

/** The app named, or the one a berth file defines (its server and app made to match the file first). */
async function appToDeploy(ctx: CliContext, name: string | undefined, options: DeployOptions): Promise<ResolvedApp> {
  const { applyBerthFile, findBerthFile } = await import('../berth-file');
  const file = name === undefined || options.file !== undefined ? findBerthFile(options.file) : null;
  if (file === null) {
    if (name === undefined) throw new BerthError('INVALID_INPUT', `Name the app to deploy, or run this in a folder with a ${BERTH_FILE_NAME} (or give --file PATH).`);
    return resolveApp(ctx, name, options.server);
  }
  const applied = await applyBerthFile(ctx, file);
  if (name !== undefined && name !== applied.app.name) {
    throw new BerthError('INVALID_INPUT', `${file} defines the app ${applied.app.name}, not ${name}: leave the app name out or fix it.`);
  }
  return applied;
}

function archiveOption(options: DeployOptions): { archive?: { path: string; root?: string } } {
  if (options.archive === undefined) {
    if (options.root !== undefined) throw new BerthError('INVALID_INPUT', '--root applies to an --archive only: give the archive with --archive FILE.');
    return {};
  }
  return { archive: { path: resolve(options.archive), ...(options.root !== undefined ? { root: options.root } : {}) } };
}

/**
 * Runs a deployment (a deploy, rollback or redeploy) to its end and, once live, through its watch window: the
 * engine runs in this process, so the watch lasts only as long as the command does.
 */
export async function deployAndWatch(
  ctx: CliContext,
  options: { followBuild: boolean; verb: string; watch: boolean },
  start: () => Promise<Deployment>,
): Promise<Deployment> {
  const follower = new DeploymentFollower(ctx, options);
  try {
    const final = await follower.run(start);
    if (final.status !== 'live') return final;
    if (!options.watch) {
      ctx.out.note(`Not staying to watch ${final.app} #${final.seq} (--no-watch): this run will not roll it back automatically.`);
      return await awaitPush(ctx, final);
    }
    await follower.watch(final);
    return await awaitPush(ctx, final);
  } finally {
    follower.dispose();
  }
}
