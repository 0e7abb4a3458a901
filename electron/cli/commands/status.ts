import type { Command } from 'commander';
import type { DeploymentSummary } from '../../../shared/api/deployments';
import type { Server, ServerStatus } from '../../../shared/api/servers';
import type { CliContext } from '../context';
import { isFinal } from '../deployment-watch';
import { EXIT } from '../exit-codes';
import { address, age, truncate } from '../format';
import { resolveServer } from '../resolve';
import { run } from '../run';

export interface AppStatus {
  name: string;
  /** The release serving now, if any. */
  live: DeploymentSummary | null;
  /** A deployment still queued or running (in this or another Berth process). */
  inProgress: DeploymentSummary | null;
}

export interface ServerReport {
  server: Server;
  status: ServerStatus;
  apps: AppStatus[];
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description("every server's connection and, per app, the live release")
    .option('-s, --server <server>', 'only this server')
    .addHelpText(
      'after',
      `
Connects to each server (in parallel) to report whether it can be reached. With --json:
{ "servers": [{ "server": Server, "status": ServerStatus, "apps": [{ "name", "live", "inProgress" }] }] }.

Exit status: 0 when every server answered, 4 when one could not be reached.

Examples:
  $ berth status
  $ berth status --server prod-eu --json`,
    )
    .action((options: { server?: string }, command: Command) =>
      run(command, async (ctx) => {
        const servers = options.server !== undefined ? [await resolveServer(ctx, options.server)] : await ctx.call('servers.list', {});
        const reports = await Promise.all(servers.map((server) => reportServer(ctx, server)));
        if (ctx.out.json) ctx.out.data({ servers: reports });
        else printReports(ctx, reports);
        return reports.some((r) => r.status.state !== 'connected') ? EXIT.connection : EXIT.ok;
      }),
    );
}

async function reportServer(ctx: CliContext, server: Server): Promise<ServerReport> {
  // Loaded here, not at the top: the schemas are not needed to show `berth --help`.
  const { DeploymentSummary } = await import('../../../shared/api/deployments');
  const status = await ctx.call('servers.connect', { serverId: server.id }).catch(async () => {
    const all = await ctx.call('servers.status', {});
    return all.find((s) => s.serverId === server.id) ?? { serverId: server.id, state: 'unreachable' as const, since: new Date().toISOString() };
  });
  const deployments = await ctx.call('deployments.list', { serverId: server.id, limit: 1000 });
  const apps = (await ctx.call('apps.list', { serverId: server.id })).map((app): AppStatus => {
    const mine = deployments.filter((d) => d.app === app.name);
    const live = mine.find((d) => d.status === 'live');
    const running = mine.find((d) => !isFinal(d.status));
    return { name: app.name, live: live ? DeploymentSummary.parse(live) : null, inProgress: running ? DeploymentSummary.parse(running) : null };
  });
  return { server, status, apps };
}

function printReports(ctx: CliContext, reports: ServerReport[]): void {
  const { out } = ctx;
  if (reports.length === 0) return out.line('No servers yet. Add one with `berth server add NAME --host HOST -i KEY`.');
  reports.forEach((report, i) => {
    if (i > 0) out.line();
    const { server, status } = report;
    const state = status.state === 'connected' ? out.paint('green', '● connected') : out.paint('red', `● ${status.state}`);
    out.line(`${out.paint('bold', server.name)} ${out.paint('grey', `(${server.id}, ${address(server)})`)}  ${state}`);
    if (status.error) out.line(`  ${out.paint('red', status.error.message)} ${out.paint('grey', `(${status.error.code})`)}`);
    if (report.apps.length === 0) return out.line(out.paint('grey', '  no apps'));
    out.table(
      ['  APP', 'LIVE', 'TITLE', 'SINCE', 'NOW'],
      report.apps.map((a) => [
        `  ${a.name}`,
        a.live ? out.paint('green', `#${a.live.seq}`) : out.paint('grey', '—'),
        a.live ? truncate(a.live.title || '—', 40) : '',
        a.live ? age(a.live.finishedAt) : '',
        a.inProgress ? out.paint('blue', `#${a.inProgress.seq} ${a.inProgress.status}`) : '',
      ]),
    );
  });
}
