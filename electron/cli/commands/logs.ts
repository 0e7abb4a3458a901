import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { AppLogLine, DeploymentLogLine } from '../../../shared/api/logs';
import type { EventData } from '../../../shared/api';
import { integer } from '../args';
import type { CliContext } from '../context';
import { isFinal } from '../deployment-watch';
import { BacklogCutoff } from '../log-backlog';
import { appHistory, findDeployment, resolveApp, type ResolvedApp } from '../resolve';
import { onInterrupt, run } from '../run';

interface LogsOptions {
  server?: string;
  follow?: boolean;
  tail: number;
  since?: string;
  timestamps?: boolean;
  deployment?: string;
}

const PAGE = 1000;
const POLL_MS = 500;

export function registerLogsCommand(program: Command): void {
  program
    .command('logs')
    .description("print an app's container logs, or one deployment's build and deploy log")
    .argument('<app>', 'the app')
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)')
    .option('-f, --follow', 'keep printing new lines until Ctrl+C')
    .option('-n, --tail <lines>', 'lines of history to start with', integer(0, 100_000), 100)
    .option('--since <time>', 'start at this time (RFC 3339, or Unix seconds)')
    .option('-t, --timestamps', "prefix each line with Docker's timestamp")
    .option('-d, --deployment <seq>', "print this deployment's build and deploy log instead (with -f, until it ends)")
    .addHelpText(
      'after',
      `
Lines of every replica are printed as they come, prefixed with the container when there is more than one.
With --json, one JSON object per line (an AppLogLine, or a DeploymentLogLine with --deployment).
Following survives dropped connections; it ends on Ctrl+C, when the containers stop, or when the reader of
stdout goes away (\`berth logs web -f | head -n 20\`).

Examples:
  $ berth logs web -f
  $ berth logs web --tail 500 --since 2025-01-31T09:00:00Z
  $ berth logs web --deployment 12`,
    )
    .action((name: string, options: LogsOptions, command: Command) =>
      run(command, async (ctx) => {
        const target = await resolveApp(ctx, name, options.server);
        if (options.deployment !== undefined) return deploymentLog(ctx, target, options.deployment, Boolean(options.follow));
        return appLogs(ctx, target, options);
      }),
    );
}

async function appLogs(ctx: CliContext, { server, app }: ResolvedApp, options: LogsOptions): Promise<void> {
  const { out } = ctx;
  const early: Array<EventData<'logs.lines'>> = [];
  let followId: string | undefined;
  let containers: string[] = [];
  let stop: ((reason: string) => void) | undefined;
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const backlog = options.follow ? undefined : new BacklogCutoff(options.tail, () => stop?.('backlog printed'));

  const print = (line: AppLogLine): void => {
    if (backlog && !backlog.accept(line.container)) return;
    if (out.json) return out.record(line);
    const prefix = containers.length > 1 ? out.paint('blue', `${line.container} | `) : '';
    const at = options.timestamps && line.at ? out.paint('grey', `${line.at} `) : '';
    out.line(`${prefix}${at}${line.stream === 'stderr' ? out.paint('red', line.text) : line.text}`);
  };
  const offLines = ctx.on('logs.lines', (batch) => {
    if (followId === undefined) return void early.push(batch);
    if (batch.followId !== followId) return;
    for (const line of batch.lines) print(line);
  });
  const offEnded = ctx.on('logs.ended', (end) => {
    if (end.followId === followId) stop?.(end.reason);
  });
  const offClosed = out.onClosed(() => stop?.('stdout closed'));
  const offInterrupt = onInterrupt(() => stop?.('interrupted'));
  try {
    const started = await ctx.call('logs.followApp', {
      serverId: server.id,
      app: app.name,
      tail: options.tail,
      timestamps: true,
      ...(options.since !== undefined ? { since: /^\d+$/.test(options.since) ? Number(options.since) : options.since } : {}),
    });
    followId = started.followId;
    containers = started.containers;
    backlog?.start(containers);
    for (const batch of early.splice(0).filter((b) => b.followId === followId)) for (const line of batch.lines) print(line);
    const reason = await stopped;
    if (reason !== 'containers stopped' && reason !== 'unfollowed' && reason !== 'stdout closed' && reason !== 'interrupted' && reason !== 'backlog printed') {
      out.note(`The log stream ended: ${reason}`);
    }
  } finally {
    backlog?.dispose();
    offInterrupt();
    offClosed();
    offLines();
    offEnded();
    if (followId) await ctx.call('logs.unfollow', { followId }).catch(() => undefined);
  }
}

/**
 * A deployment's log file, page by page. With -f it keeps reading until the deployment ends, which also follows
 * a deployment another Berth process (the desktop app) is running: the records and the log are shared files.
 */
async function deploymentLog(ctx: CliContext, { server, app }: ResolvedApp, seq: string, follow: boolean): Promise<void> {
  const { out } = ctx;
  const target = findDeployment(await appHistory(ctx, server.id, app.name), app.name, seq);
  let interrupted = false;
  const offInterrupt = onInterrupt(() => (interrupted = true));
  const print = (line: DeploymentLogLine): void => {
    if (out.json) return out.record(line);
    const text = line.stream === 'err' ? out.paint('red', line.text) : line.stream === 'info' ? out.paint('dim', line.text) : line.text;
    out.line(text);
  };
  try {
    let from = 1;
    for (;;) {
      const page = await ctx.call('logs.deployment', { serverId: server.id, deploymentId: target.id, fromLine: from, limit: PAGE });
      for (const line of page.lines) print(line);
      from = page.nextLine;
      if (!page.eof) continue;
      if (!follow || interrupted || out.isClosed) return;
      const current = await ctx.call('deployments.get', { serverId: server.id, deploymentId: target.id });
      if (isFinal(current.status)) {
        const rest = await ctx.call('logs.deployment', { serverId: server.id, deploymentId: target.id, fromLine: from, limit: PAGE });
        for (const line of rest.lines) print(line);
        if (rest.eof) return;
        from = rest.nextLine;
        continue;
      }
      await sleep(POLL_MS);
    }
  } finally {
    offInterrupt();
  }
}
