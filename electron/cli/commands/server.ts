import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ServerAuth, ServerInput, ServerOverview } from '../../../shared/api/servers';
import { DEFAULT_PROXY_IMAGE } from '../../../shared/defaults';
import { BerthError } from '../../../shared/errors';
import { integer } from '../args';
import type { CliContext } from '../context';
import { EXIT, exitCodeFor, exitCodeForHealth } from '../exit-codes';
import { address, describeAuth } from '../format';
import { printHealth } from '../health-view';
import { resolveServer } from '../resolve';
import { run } from '../run';
import { registerHostKeyCommands } from './host-key';

export interface AddOptions {
  host?: string;
  port: number;
  user: string;
  key?: string;
  agent?: boolean;
  sshAlias?: string;
  socket: string;
  proxyPort: number;
  proxyImage?: string;
  proxyBind?: string;
  color?: string;
  check: boolean;
}

export function registerServerCommands(program: Command): void {
  const server = program
    .command('server')
    .description('add, list, show and remove servers; trust or forget their host keys')
    .addHelpText('after', '\nExamples:\n  $ berth server add prod-eu --host 203.0.113.7 -i ~/.ssh/id_ed25519\n  $ berth server list\n  $ berth server show prod-eu');

  server
    .command('add')
    .description('add a server reached over SSH (checks the connection and asks to trust its host key)')
    .argument('<name>', 'a name for the server, e.g. prod-eu')
    .option('--host <host>', 'host name or address (not needed with --ssh-alias)')
    .option('-p, --port <port>', 'SSH port', integer(1, 65535), 22)
    .option('-u, --user <user>', 'SSH user', 'root')
    .option('-i, --key <path>', 'private key file')
    .option('--agent', 'use the keys of your ssh-agent (SSH_AUTH_SOCK)')
    .option('--ssh-alias <alias>', 'a Host of ~/.ssh/config (HostName, Port, User, IdentityFile, ProxyJump)')
    .option('--socket <path>', 'Docker socket on the server', '/var/run/docker.sock')
    .option('--proxy-port <port>', 'port the edge proxy publishes', integer(1, 65535), 80)
    .option('--proxy-image <image>', 'edge proxy image (HAProxy)')
    .option('--proxy-bind <address>', 'address the edge proxy port binds to')
    .option('--color <hex>', 'colour shown in the sidebar, e.g. #4f7cff')
    .option('--no-check', 'save without connecting')
    .addHelpText(
      'after',
      `
Berth connects once before saving the server. A host key seen for the first time is asked about on a terminal;
without one, Berth refuses (exit 3) and prints the fingerprint: check it with the server's administrator and run
the command again with --accept-host-key SHA256:…. Keys in ~/.ssh/known_hosts are trusted as OpenSSH would.

Exit status: 0 added, 2 bad options, 3 refused (host key, name taken), 4 the server could not be reached.

Examples:
  $ berth server add prod-eu --host 203.0.113.7 -u deploy -i ~/.ssh/id_ed25519
  $ berth server add staging --ssh-alias staging
  $ berth server add ci --host 10.0.0.5 -i key --accept-host-key SHA256:Ig0yLWYow…`,
    )
    .action((name: string, options: AddOptions, command: Command) =>
      run(command, async (ctx) => {
        const added = await ctx.call('servers.add', serverInputFrom(name, options));
        if (options.check) await connectOrForget(ctx, added.id);
        if (ctx.out.json) return ctx.out.data(added);
        ctx.out.line(`Added ${ctx.out.paint('bold', added.name)} (${added.id}).`);
        if (options.check) printOverview(ctx, await ctx.call('servers.overview', { serverId: added.id }));
      }),
    );

  server
    .command('list')
    .description('list servers')
    .addHelpText('after', '\nWith --json, an array of Server definitions.\n\nExample:\n  $ berth server list --json')
    .action((_options: unknown, command: Command) =>
      run(command, async (ctx) => {
        const servers = await ctx.call('servers.list', {});
        if (ctx.out.json) return ctx.out.data(servers);
        if (servers.length === 0) return ctx.out.line('No servers yet. Add one with `berth server add NAME --host HOST -i KEY`.');
        ctx.out.table(
          ['ID', 'NAME', 'ADDRESS', 'AUTH', 'DOCKER SOCKET'],
          servers.map((s) => [s.id, s.name, address(s), describeAuth(s.auth), s.dockerSocket]),
        );
      }),
    );

  server
    .command('show')
    .description("connect and show a server's Docker, resources and state")
    .argument('<server>', 'server id or name')
    .addHelpText(
      'after',
      `
Shows Docker, resources and swarm state, then each part's health (SSH, Docker, edge proxy, each app's live release)
with the fix for anything down, and a warning when the proxy's settings on the server differ from this entry.
With --json, a ServerOverview with its ServerHealth as "health".

Exit status: 0 when nothing is down, 3 when its host key is not trusted (see berth server trust), 4 when SSH or
Docker does not answer, 1 when the proxy or an app is down.

Example:
  $ berth server show prod-eu`,
    )
    .action((name: string, _options: unknown, command: Command) =>
      run(command, async (ctx) => {
        const found = await resolveServer(ctx, name);
        const overview = await ctx.call('servers.overview', { serverId: found.id });
        const health = await ctx.call('servers.health', { serverId: found.id });
        if (ctx.out.json) ctx.out.data({ ...overview, health });
        else {
          printOverview(ctx, overview);
          ctx.out.line();
          printHealth(ctx.out, health);
        }
        const code = exitCodeForHealth(health);
        return code !== EXIT.ok ? code : overview.error ? exitCodeFor(overview.error.code) : EXIT.ok;
      }),
    );

  const proxy = server.command('proxy').description("the server's edge proxy");
  proxy
    .command('apply')
    .description("replace the server's edge proxy with this entry's settings (port, image, bind address)")
    .argument('<server>', 'server id or name')
    .addHelpText(
      'after',
      `
The edge proxy's settings live on the server: a Berth whose entry differs only warns. This command changes them.
The new proxy is pulled and started beside the old one, which keeps serving until the new one answers with every
app up; a pull or a start that fails leaves the old proxy as it was. On the same port the takeover drops the
connections open at that moment.

Exit status: 0 applied (or already in place), 1 the new proxy failed (the old one still serves), 4 unreachable.

Example:
  $ berth server proxy apply prod-eu`,
    )
    .action((name: string, _options: unknown, command: Command) =>
      run(command, async (ctx) => {
        const found = await resolveServer(ctx, name);
        const result = await ctx.call('servers.applyProxy', { serverId: found.id });
        if (ctx.out.json) return ctx.out.data(result);
        const { image, bindAddress, httpPort } = result.settings;
        ctx.out.line(result.replaced ? `The edge proxy of ${found.name} now runs ${image} on ${bindAddress}:${httpPort}.` : `The edge proxy of ${found.name} already runs ${image} on ${bindAddress}:${httpPort}.`);
      }),
    );

  server
    .command('remove')
    .description("forget a server (its deployment history stays on disk until you delete Berth's home)")
    .argument('<server>', 'server id or name')
    .addHelpText('after', '\nExample:\n  $ berth server remove staging')
    .action((name: string, _options: unknown, command: Command) =>
      run(command, async (ctx) => {
        const found = await resolveServer(ctx, name);
        const result = await ctx.call('servers.remove', { serverId: found.id });
        if (ctx.out.json) return ctx.out.data(result);
        ctx.out.line(`Removed ${found.name}.`);
      }),
    );

  registerHostKeyCommands(server);
}

/** The options of `berth server add` as the contract's ServerInput; a key path is made absolute, as the desktop app reads it too. */
export function serverInputFrom(name: string, options: AddOptions): ServerInput {
  const chosen = [options.key, options.agent, options.sshAlias].filter(Boolean).length;
  if (chosen !== 1) throw new BerthError('INVALID_INPUT', 'Choose exactly one way to log in: --key PATH, --agent or --ssh-alias ALIAS.');
  const auth: ServerAuth = options.key
    ? { kind: 'key', keyPath: resolve(options.key) }
    : options.agent
      ? { kind: 'agent' }
      : { kind: 'sshConfig', alias: options.sshAlias! };
  const host = options.host ?? options.sshAlias;
  if (!host) throw new BerthError('INVALID_INPUT', 'Give the server address with --host.');
  return {
    name,
    host,
    port: options.port,
    user: options.user,
    auth,
    dockerSocket: options.socket,
    ...(options.color ? { color: options.color } : {}),
    proxy: {
      httpPort: options.proxyPort,
      image: options.proxyImage ?? DEFAULT_PROXY_IMAGE,
      bindAddress: options.proxyBind ?? '0.0.0.0',
    },
  };
}

/** A server that cannot be reached (or whose host key was refused) is not kept, so the same command can be run again. */
async function connectOrForget(ctx: CliContext, serverId: string): Promise<void> {
  try {
    await ctx.call('servers.connect', { serverId });
  } catch (error) {
    await ctx.call('servers.remove', { serverId }).catch(() => undefined);
    if (error instanceof BerthError) throw new BerthError(error.code, `${error.message} The server was not saved.`, error.details);
    throw error;
  }
}

const GiB = 1024 ** 3;

export function printOverview(ctx: CliContext, overview: ServerOverview): void {
  const { status, docker } = overview;
  ctx.out.line(`${overview.serverId}: ${status.state}${status.error ? ` — ${status.error.message}` : ''}`);
  if (!docker) {
    if (overview.error && overview.error.message !== status.error?.message) ctx.out.line(`${ctx.out.paint('red', overview.error.message)} ${ctx.out.paint('grey', `(${overview.error.code})`)}`);
    return;
  }
  const disk = docker.disk ? `${(docker.disk.freeBytes / GiB).toFixed(1)} GiB free of ${(docker.disk.totalBytes / GiB).toFixed(1)} GiB` : 'unknown';
  ctx.out.pairs(
    [
      ['Docker', `${docker.version} (API ${docker.apiVersion})`],
      ['OS', `${docker.os} · ${docker.kernel} · ${docker.arch}`],
      ['CPU / memory', `${docker.cpus} CPUs · ${(docker.memoryBytes / GiB).toFixed(1)} GiB`],
      ['Disk', `${disk} (${docker.dockerRootDir})`],
      ['Swarm', docker.swarm === 'active' ? (docker.swarmManager ? 'manager' : 'worker') : docker.swarm],
      ['Containers', `${docker.containers.running} running · ${docker.containers.stopped} stopped`],
    ],
  );
}
