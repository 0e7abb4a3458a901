import type { Command } from 'commander';
import { BerthError } from '../../../shared/errors';
import { EXIT } from '../exit-codes';
import { appHistory, findDeployment, resolveApp } from '../resolve';
import { run } from '../run';

const serverOption = ['-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)'] as const;

/** Rollback points: the releases an app can go back to, and keeping or dropping their images. */
export function registerReleaseCommands(program: Command): void {
  const release = program
    .command('release')
    .description('the releases an app can roll back to: list them, pin them, note them, delete their images')
    .addHelpText('after', '\nExamples:\n  $ berth release list web\n  $ berth release pin web 12\n  $ berth release delete web 9 --yes');

  release
    .command('list')
    .description('every release of an app with whether it can run again, checked on the server now')
    .argument('<app>', 'the app')
    .option(...serverOption)
    .addHelpText('after', '\nWith --json, an array of RollbackPoint records.\n\nExample:\n  $ berth release list web')
    .action((name: string, options: { server?: string }, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await resolveApp(ctx, name, options.server);
        const points = await ctx.call('deployments.rollbackPoints', { serverId: server.id, app: app.name });
        if (ctx.out.json) return ctx.out.data(points);
        if (points.length === 0) return ctx.out.line(`${app.name} has no releases yet.`);
        ctx.out.table(
          ['  SEQ', 'STATUS', 'CAN RUN', 'FROM', 'WHY'],
          points.map((p) => [
            p.live ? ctx.out.paint('green', `● #${p.seq}`) : `  #${p.seq}${p.pinned ? ' (pinned)' : ''}`,
            p.status,
            p.live ? 'live' : p.capable ? ctx.out.paint('green', 'yes') : ctx.out.paint('red', 'no'),
            p.via ?? '—',
            p.reason,
          ]),
        );
      }),
    );

  for (const pinned of [true, false]) {
    release
      .command(pinned ? 'pin' : 'unpin')
      .description(pinned ? "keep a release's image whatever the retention says" : 'let retention remove the image of a pinned release again')
      .argument('<app>', 'the app')
      .argument('<seq>', 'the release, e.g. 12')
      .option(...serverOption)
      .addHelpText('after', `\nWith --json, the Deployment.\n\nExample:\n  $ berth release ${pinned ? 'pin' : 'unpin'} web 12`)
      .action((name: string, seq: string, options: { server?: string }, command: Command) =>
        run(command, async (ctx) => {
          const { server, app } = await resolveApp(ctx, name, options.server);
          const target = findDeployment(await appHistory(ctx, server.id, app.name), app.name, seq);
          const updated = await ctx.call('deployments.pin', { serverId: server.id, deploymentId: target.id, pinned });
          if (ctx.out.json) return ctx.out.data(updated);
          ctx.out.line(`${pinned ? 'Pinned' : 'Unpinned'} ${app.name} #${updated.seq}.`);
        }),
      );
  }

  release
    .command('note')
    .description('write a note on a release ("leaks memory under load"), shown in the history and before a rollback to it')
    .argument('<app>', 'the app')
    .argument('<seq>', 'the release, e.g. 12')
    .argument('[text]', 'the note, one line; leave out with --clear')
    .option('--clear', 'take the note away')
    .option(...serverOption)
    .addHelpText('after', '\nWith --json, the Deployment.\n\nExamples:\n  $ berth release note web 12 "leaks memory under load: do not roll back to it"\n  $ berth release note web 12 --clear')
    .action((name: string, seq: string, text: string | undefined, options: { server?: string; clear?: boolean }, command: Command) =>
      run(command, async (ctx) => {
        if ((text === undefined || text.trim() === '') === !options.clear) {
          throw new BerthError('INVALID_INPUT', options.clear ? 'Give either a note or --clear, not both.' : 'Give the note as text, e.g. berth release note web 12 "leaks memory", or --clear to take it away.');
        }
        const { server, app } = await resolveApp(ctx, name, options.server);
        const target = findDeployment(await appHistory(ctx, server.id, app.name), app.name, seq);
        const updated = await ctx.call('deployments.note', { serverId: server.id, deploymentId: target.id, text: options.clear ? '' : (text ?? '') });
        if (ctx.out.json) return ctx.out.data(updated);
        ctx.out.line(updated.releaseNote ? `Noted on ${app.name} #${updated.seq}: ${updated.releaseNote.text}` : `Took the note off ${app.name} #${updated.seq}.`);
      }),
    );

  release
    .command('delete')
    .description("remove a release's image from the server (never the live one); its history row stays")
    .argument('<app>', 'the app')
    .argument('<seq>', 'the release, e.g. 9')
    .option(...serverOption)
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .addHelpText('after', '\nA deleted release can no longer be rolled back to (IMAGE_GONE) unless a registry still has it.\n\nExample:\n  $ berth release delete web 9 --yes')
    .action((name: string, seq: string, options: { server?: string; yes?: boolean }, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await resolveApp(ctx, name, options.server);
        const target = findDeployment(await appHistory(ctx, server.id, app.name), app.name, seq);
        if (!options.yes) {
          if (!ctx.interactive) throw new BerthError('INVALID_INPUT', `Deleting the image of ${app.name} #${target.seq} cannot be undone: pass --yes to confirm without a terminal.`);
          if (!(await ctx.confirm(`Delete the image of ${app.name} #${target.seq} from ${server.id}?`))) return EXIT.failed;
        }
        const updated = await ctx.call('deployments.deleteRollbackPoint', { serverId: server.id, deploymentId: target.id });
        if (ctx.out.json) return ctx.out.data(updated);
        ctx.out.line(`Deleted the image of ${app.name} #${updated.seq} from ${server.id}.`);
      }),
    );
}
