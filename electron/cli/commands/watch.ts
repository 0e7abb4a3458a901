import type { Command } from 'commander';
import type { AutoDeploySettings, AutoDeployStatus } from '../../../shared/api/auto-deploy';
import { BerthError } from '../../../shared/errors';
import { integer } from '../args';
import type { CliContext } from '../context';
import { isFinal } from '../deployment-watch';
import { resolveApp } from '../resolve';
import { onInterrupt, run } from '../run';

interface WatchCommandOptions {
  server?: string;
  branch?: string;
  tag?: string;
  interval?: number;
  from?: string;
  pause?: boolean;
  resume?: boolean;
  off?: boolean;
  status?: boolean;
}

/** How often the foreground watch looks for an app whose interval has passed. */
const TICK_MS = 1000;

export function registerWatchCommand(program: Command): void {
  program
    .command('watch')
    .description("deploy each new commit of an app's branch (or new tag) by polling its git remote, until Ctrl+C")
    .argument('[app]', 'the app to watch (default: every app with auto-deploy settings)')
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)')
    .option('--branch <branch>', 'watch this branch: each new head deploys')
    .option('--tag <pattern>', 'watch tags matching this pattern (v*, release-?): each new one deploys')
    .option('--interval <seconds>', 'how often to ask the remote', integer(5, 86_400))
    .option('--from <where>', '"server" (git ls-remote on the server, the default) or "computer" (here)')
    .option('--pause', 'pause the app\'s auto-deploy (also in the desktop app) and exit')
    .option('--resume', 'resume it and exit')
    .option('--off', 'turn the app\'s auto-deploy off and exit')
    .option('--status', 'print the app\'s auto-deploy and exit')
    .addHelpText(
      'after',
      `
Nothing is needed on the git host (no webhook) and nothing listens here: Berth asks the remote with git ls-remote
at the interval, and deploys a commit once, titled by its subject, unless it is already queued or live. The settings
(--branch/--tag, --interval, --from) are kept with the app, so the desktop app watches it too while it runs. A tag
pattern deploys tags that appear after the first check. Ctrl+C stops watching; a deployment under way is cancelled
and the live version keeps serving.

Examples:
  $ berth watch web --branch main --interval 30
  $ berth watch api --tag 'v*'
  $ berth watch web --pause`,
    )
    .action((name: string | undefined, options: WatchCommandOptions, command: Command) =>
      run(command, async (ctx) => {
        if (name === undefined) {
          if (options.branch || options.tag || options.pause || options.resume || options.off || options.status) {
            throw new BerthError('INVALID_INPUT', 'Name the app whose auto-deploy to change: berth watch APP --branch main.');
          }
          return watchForeground(ctx, undefined);
        }
        const { server, app } = await resolveApp(ctx, name, options.server);
        const ref = { serverId: server.id, app: app.name };
        const settings = settingsFrom(options, await ctx.call('autoDeploy.get', ref));
        if (options.off) return printStatus(ctx, await ctx.call('autoDeploy.set', { ...ref, settings: null }));
        if (settings) await ctx.call('autoDeploy.set', { ...ref, settings });
        if (options.pause) return printStatus(ctx, await ctx.call('autoDeploy.pause', ref));
        if (options.resume) return printStatus(ctx, await ctx.call('autoDeploy.resume', ref));
        if (options.status) return printStatus(ctx, await ctx.call('autoDeploy.get', ref));
        return watchForeground(ctx, ref);
      }),
    );
}

function settingsFrom(options: WatchCommandOptions, current: AutoDeployStatus): AutoDeploySettings | null {
  if (options.branch && options.tag) throw new BerthError('INVALID_INPUT', 'Watch either a branch (--branch) or a tag pattern (--tag), not both.');
  if (options.from !== undefined && options.from !== 'server' && options.from !== 'computer') {
    throw new BerthError('INVALID_INPUT', `--from is "server" or "computer", not "${options.from}".`);
  }
  const watch = options.branch ? { kind: 'branch' as const, branch: options.branch } : options.tag ? { kind: 'tag' as const, pattern: options.tag } : current.settings?.watch;
  const changed = options.branch || options.tag || options.interval !== undefined || options.from !== undefined;
  if (!changed) return null;
  if (!watch) throw new BerthError('INVALID_INPUT', `${current.app} has no auto-deploy yet: say what to watch with --branch NAME or --tag PATTERN.`);
  return {
    watch,
    intervalSec: options.interval ?? current.settings?.intervalSec ?? 60,
    from: (options.from as AutoDeploySettings['from'] | undefined) ?? current.settings?.from ?? 'server',
  };
}

function describe(status: AutoDeployStatus): string {
  const s = status.settings;
  if (!s) return `${status.app}: auto-deploy is off`;
  const what = s.watch.kind === 'branch' ? `branch ${s.watch.branch}` : `tags ${s.watch.pattern}`;
  return `${status.app}: ${what} every ${s.intervalSec}s from ${s.from === 'server' ? 'the server' : 'this computer'}${status.paused ? ' (paused)' : ''}`;
}

function printStatus(ctx: CliContext, status: AutoDeployStatus): void {
  if (ctx.out.json) return ctx.out.data(status);
  ctx.out.line(describe(status));
  if (status.lastSeen) ctx.out.line(`  last seen ${status.lastSeen.ref} at ${status.lastSeen.hash.slice(0, 12)} (${status.lastCheckAt ?? 'never'})`);
  if (status.lastDeployment) ctx.out.line(`  last deployed #${status.lastDeployment.seq} from ${status.lastDeployment.ref.slice(0, 40)}`);
  if (status.lastError) ctx.out.line(`  last check failed: ${status.lastError.message}`);
}

/** Runs the checks in this process until Ctrl+C, printing what each check starts and how it ends. */
async function watchForeground(ctx: CliContext, only: { serverId: string; app: string } | undefined): Promise<void> {
  const service = ctx.engine.autoDeploy.service;
  const watched = only ? [only] : await everyWatched(ctx);
  if (watched.length === 0) throw new BerthError('INVALID_INPUT', 'No app has auto-deploy settings: start one with berth watch APP --branch main.');
  for (const ref of watched) ctx.out.note(`Watching ${describe(await ctx.call('autoDeploy.get', ref))}. Ctrl+C stops.`);
  const started = new Map<string, string>();
  const errors = new Map<string, string>();
  const offStatus = ctx.on('autoDeploy.changed', (status) => {
    const key = `${status.serverId}/${status.app}`;
    const error = status.lastError?.message ?? '';
    if (error !== (errors.get(key) ?? '')) ctx.out.note(error ? `${status.app}: check failed: ${error}` : `${status.app}: checks work again`);
    errors.set(key, error);
    const last = status.lastDeployment;
    if (last && !started.has(last.id) && (!only || only.app === status.app)) {
      started.set(last.id, status.app);
      ctx.out.line(`${status.app}: ${last.ref.slice(0, 12)} is new, deploying it as #${last.seq}`);
    }
  });
  const offDeployments = ctx.on('deployments.changed', (d) => {
    if (started.get(d.id) === undefined || !isFinal(d.status)) return;
    ctx.out.line(`${d.app} #${d.seq} ${d.status}${d.title ? `: ${d.title}` : ''}${d.error ? ` (${d.error.message})` : ''}`);
  });
  await new Promise<void>((resolve) => {
    const restore = onInterrupt(() => {
      restore();
      resolve();
    });
    service.start(TICK_MS, { keepAlive: true, ...(only ? { only } : {}) });
  });
  offStatus();
  offDeployments();
  await service.stop();
  ctx.out.note('Stopped watching.');
}

async function everyWatched(ctx: CliContext): Promise<Array<{ serverId: string; app: string }>> {
  const out: Array<{ serverId: string; app: string }> = [];
  for (const server of await ctx.call('servers.list', {})) {
    for (const app of await ctx.call('apps.list', { serverId: server.id })) {
      const status = await ctx.call('autoDeploy.get', { serverId: server.id, app: app.name });
      if (status.settings) out.push({ serverId: server.id, app: app.name });
    }
  }
  return out;
}
