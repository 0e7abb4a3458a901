import type { Command } from 'commander';
import type { DeploymentSummary } from '../../../shared/api/deployments';
import type { AppHealth, Server, ServerHealth, ServerStatus } from '../../../shared/api/servers';
import type { CliContext } from '../context';
import { isFinal } from '../deployment-watch';
import { EXIT, exitCodeForHealth, type ExitCode } from '../exit-codes';
import { address, age, truncate } from '../format';
import { printHealth, stateMark } from '../health-view';
import { resolveServer } from '../resolve';
import { run } from '../run';

export interface AppStatus {
  name: string;
  /** The release serving now, if any. */
  live: DeploymentSummary | null;
  /** A deployment still queued or running (in this or another Berth process). */
  inProgress: DeploymentSummary | null;
  /** Whether the live release runs and answers through the edge proxy, as the engine found it. */
  health: AppHealth | null;
}

export interface ServerReport {
  server: Server;
  status: ServerStatus;
  health: ServerHealth;
  apps: AppStatus[];
}

/** Recent records scanned for a deployment still under way; the live release is looked up per app. */
const RECENT = 50;

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description("every server's SSH link, Docker, edge proxy and, per app, whether the live release runs and answers")
    .option('-s, --server <server>', 'only this server')
    .addHelpText(
      'after',
      `
Checks each server (in parallel), part by part: the SSH link, Docker (a ping through the link), the edge proxy
(its container and an answer of its runtime API) and, per app, whether the live release's containers or tasks run
and answer one request through the proxy, and if not why (exited with code N, OOM-killed, health check failing,
edge proxy down). Every part that is down is printed with its fix; what a deployment under way stops is a warning. With --json:
{ "servers": [{ "server", "status", "health": ServerHealth, "apps": [{ "name", "live", "inProgress", "health" }] }] }.

Exit status: 0 when nothing is down (warnings such as proxy settings that differ are printed only), 3 when a
server's host key is not trusted, 4 when a server's SSH link or Docker does not answer, 1 when an edge proxy or an
app's live release is down.

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
        return worst(reports.map((r) => exitCodeForHealth(r.health)));
      }),
    );
}

function worst(codes: ExitCode[]): ExitCode {
  if (codes.includes(EXIT.connection)) return EXIT.connection;
  return codes.includes(EXIT.failed) ? EXIT.failed : EXIT.ok;
}

async function reportServer(ctx: CliContext, server: Server): Promise<ServerReport> {
  // Loaded here, not at the top: the schemas are not needed to show `berth --help`.
  const { DeploymentSummary } = await import('../../../shared/api/deployments');
  const health = await ctx.call('servers.health', { serverId: server.id });
  const statuses = await ctx.call('servers.status', {});
  const status = statuses.find((s) => s.serverId === server.id) ?? { serverId: server.id, state: 'unreachable' as const, since: health.checkedAt };
  const [live, recent, apps] = await Promise.all([
    ctx.call('deployments.live', { serverId: server.id }),
    ctx.call('deployments.list', { serverId: server.id, limit: RECENT }),
    ctx.call('apps.list', { serverId: server.id }),
  ]);
  return {
    server,
    status,
    health,
    apps: apps.map((app): AppStatus => {
      const current = live.find((d) => d.app === app.name);
      const running = recent.find((d) => d.app === app.name && !isFinal(d.status));
      return {
        name: app.name,
        live: current ? DeploymentSummary.parse(current) : null,
        inProgress: running ? DeploymentSummary.parse(running) : null,
        health: health.apps.find((a) => a.app === app.name) ?? null,
      };
    }),
  };
}

function printReports(ctx: CliContext, reports: ServerReport[]): void {
  const { out } = ctx;
  if (reports.length === 0) return out.line('No servers yet. Add one with `berth server add NAME --host HOST -i KEY`.');
  reports.forEach((report, i) => {
    if (i > 0) out.line();
    const { server, health } = report;
    const overall = health.ok ? stateMark(out, 'ok') : stateMark(out, 'down');
    out.line(`${out.paint('bold', server.name)} ${out.paint('grey', `(${server.id}, ${address(server)})`)}  ${overall}`);
    printHealth(out, health);
    if (report.apps.length === 0) return out.line(out.paint('grey', '  no apps'));
    out.line();
    out.table(
      ['  APP', 'RELEASE', 'TITLE', 'SINCE', 'HEALTH', 'NOW'],
      report.apps.map((a) => [
        `  ${a.name}`,
        // the record's live release, green only once the server showed it running and answering
        a.live ? out.paint(a.health?.state === 'ok' ? 'green' : 'grey', `#${a.live.seq}`) : out.paint('grey', '—'),
        a.live ? truncate(a.live.title || '—', 40) : '',
        a.live ? age(a.live.finishedAt) : '',
        a.health ? stateMark(out, a.health.state) : '',
        a.inProgress ? out.paint('blue', `#${a.inProgress.seq} ${a.inProgress.status}`) : '',
      ]),
    );
  });
}
