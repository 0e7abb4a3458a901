import type { Command } from 'commander';
import type { PreviewRemoval } from '../../../shared/api/previews';
import { BerthError } from '../../../shared/errors';
import type { CliContext } from '../context';
import { reportOutcome } from '../deployment-watch';
import { exitCodeForDeployment } from '../exit-codes';
import { age } from '../format';
import { resolveApp } from '../resolve';
import { run } from '../run';
import { deployAndWatch } from './deploy';

const serverOption = ['-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)'] as const;

function removalLine(ctx: CliContext, r: PreviewRemoval): string {
  const why = r.reason === 'branch-gone' ? ' (its branch is gone)' : '';
  const records = r.records === 'kept' ? `its ${r.recordCount} record${r.recordCount === 1 ? '' : 's'} kept (a new preview of the branch continues them)` : `its ${r.recordCount} record${r.recordCount === 1 ? '' : 's'} dropped`;
  return `Removed the preview ${ctx.out.paint('bold', r.name)} of ${r.ref}${why}: containers, proxy route and ${r.imagesRemoved} image${r.imagesRemoved === 1 ? '' : 's'} gone, ${records}.`;
}

/** Previews: a git app's branch (or pull request) running beside it at `<branch>.<app domain>`. */
export function registerPreviewCommands(program: Command): void {
  const preview = program
    .command('preview')
    .description("run a git app's branch or pull request beside it at <branch>.<app domain>, with its own history")
    .addHelpText(
      'after',
      `
A preview is an app of its own, named <app>-<branch>, made from the app's settings on each deploy (env and secrets
included; published ports left out; named volumes of its own). Previews whose branch is gone from the remote are
removed by the desktop app and the web bridge every two minutes, or by berth preview prune.

Examples:
  $ berth preview deploy web feature/login
  $ berth preview deploy web refs/pull/12/head --title "PR 12"
  $ berth preview list web
  $ berth preview remove web feature/login`,
    );

  preview
    .command('list')
    .description("an app's previews, with their host names and newest deployment")
    .argument('<app>', 'the app')
    .option(...serverOption)
    .addHelpText('after', '\nWith --json, an array of PreviewView records.\n\nExample:\n  $ berth preview list web --json')
    .action((name: string, options: { server?: string }, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await resolveApp(ctx, name, options.server);
        const previews = await ctx.call('previews.list', { serverId: server.id, app: app.name });
        if (ctx.out.json) return ctx.out.data(previews);
        if (previews.length === 0) return ctx.out.line(`${app.name} has no previews. Make one with \`berth preview deploy ${app.name} BRANCH\`.`);
        ctx.out.table(
          ['BRANCH', 'APP', 'HOST', 'LATEST', 'MADE'],
          previews.map((p) => [p.ref, p.name, p.domains.join(', '), p.latest ? `#${p.latest.seq} ${p.latest.status}` : '—', age(p.createdAt)]),
        );
      }),
    );

  preview
    .command('deploy')
    .description("make or update a branch's preview from the app's settings and deploy it")
    .argument('<app>', 'the app')
    .argument('<branch>', 'a branch, or a pull-request ref such as refs/pull/12/head')
    .option(...serverOption)
    .option('-t, --title <title>', 'a title for this deployment (default: the commit message)')
    .option('--follow-build', 'print the build log as it is written (the default on a terminal)')
    .option('--no-follow-build', 'print only the phases')
    .option('--no-watch', "exit once live instead of staying for the watch window")
    .addHelpText(
      'after',
      `
Refused (exit 3, PREVIEW_LIMIT) when the app already runs as many previews as its limit (berth app set APP
--preview-limit N, 3 unless set) and this branch has none. Exit status as berth deploy.

Examples:
  $ berth preview deploy web feature/login
  $ berth preview deploy web refs/pull/12/head --no-watch --json`,
    )
    .action((name: string, branch: string, options: { server?: string; title?: string; followBuild?: boolean; watch: boolean }, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await resolveApp(ctx, name, options.server);
        const final = await deployAndWatch(ctx, { followBuild: options.followBuild ?? ctx.out.interactive, verb: 'Deploying preview', watch: options.watch }, () =>
          ctx.call('previews.deploy', { serverId: server.id, app: app.name, ref: branch, trigger: 'cli', ...(options.title !== undefined ? { title: options.title } : {}) }),
        );
        reportOutcome(ctx, final);
        return exitCodeForDeployment(final);
      }),
    );

  preview
    .command('remove')
    .description("stop a preview and remove its containers, proxy route and images")
    .argument('<app>', 'the app')
    .argument('<branch>', 'the branch (or ref) of the preview')
    .option(...serverOption)
    .option('--drop-records', 'also delete its deployment records and logs (kept by default)')
    .addHelpText('after', '\nWith --json, the PreviewRemoval.\n\nExample:\n  $ berth preview remove web feature/login --drop-records')
    .action((name: string, branch: string, options: { server?: string; dropRecords?: boolean }, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await resolveApp(ctx, name, options.server);
        const removed = await ctx.call('previews.remove', { serverId: server.id, app: app.name, ref: branch, dropRecords: options.dropRecords ?? false });
        if (ctx.out.json) return ctx.out.data(removed);
        ctx.out.line(removalLine(ctx, removed));
      }),
    );

  preview
    .command('prune')
    .description('remove the previews whose branch is gone from the remote (asked with git ls-remote from the server)')
    .argument('<app>', 'the app')
    .option(...serverOption)
    .option('--drop-records', 'also delete their deployment records and logs (kept by default)')
    .addHelpText('after', '\nWith --json, an array of PreviewRemoval records.\n\nExample:\n  $ berth preview prune web --drop-records')
    .action((name: string, options: { server?: string; dropRecords?: boolean }, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await resolveApp(ctx, name, options.server);
        if (app.previewOf) throw new BerthError('PREVIEW_INVALID', `${app.name} is a preview; prune the app it previews: berth preview prune ${app.previewOf.app}.`);
        const removed = await ctx.call('previews.prune', { serverId: server.id, app: app.name, dropRecords: options.dropRecords ?? false });
        if (ctx.out.json) return ctx.out.data(removed);
        if (removed.length === 0) return ctx.out.line(`Every preview of ${app.name} still has its branch.`);
        for (const r of removed) ctx.out.line(removalLine(ctx, r));
      }),
    );
}
