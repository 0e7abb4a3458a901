import type { Command } from 'commander';
import { integer } from '../args';
import { HISTORY_HEADERS, historyRows, statusTone } from '../format';
import { resolveApp } from '../resolve';
import { run } from '../run';

interface HistoryOptions {
  server?: string;
  limit: number;
}

export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .description("list an app's deployments, newest first, with the live one marked")
    .argument('<app>', 'the app')
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)')
    .option('-n, --limit <count>', 'how many deployments to show', integer(1, 1000), 20)
    .addHelpText(
      'after',
      `
Each row is one deployment (#seq): a deploy, a rollback (which runs an earlier release again) or a redeploy.
With --json, an array of Deployment records.

Examples:
  $ berth history web
  $ berth history web --limit 100 --json | jq '.[] | select(.status == "live") | .seq'`,
    )
    .action((name: string, options: HistoryOptions, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await resolveApp(ctx, name, options.server);
        const deployments = await ctx.call('deployments.list', { serverId: server.id, app: app.name, limit: options.limit });
        if (ctx.out.json) return ctx.out.data(deployments);
        if (deployments.length === 0) return ctx.out.line(`${app.name} has no deployments yet. Deploy it with \`berth deploy ${app.name}\`.`);
        const rows = historyRows(deployments).map((row, i) => {
          const d = deployments[i]!;
          const marked = [...row];
          marked[0] = d.status === 'live' ? ctx.out.paint('green', `● ${row[0]}`) : `  ${row[0]}`;
          marked[2] = ctx.out.tone(statusTone(d.status), row[2]!);
          return marked;
        });
        ctx.out.table(['  SEQ', ...HISTORY_HEADERS.slice(1)], rows);
      }),
    );
}
