import type { Command } from 'commander';
import type { Server, ServerAuth, ServerInput, ServerOverview } from '../../../shared/api/servers';
import { BerthError } from '../../../shared/errors';
import { run } from '../run';
import { resolveServer } from '../resolve';
import type { CliContext } from '../context';

interface AddOptions {
  host?: string;
  port: string;
  user: string;
  key?: string;
  agent?: boolean;
  sshAlias?: string;
  socket: string;
  proxyPort: string;
  proxyImage?: string;
  proxyBind?: string;
  color?: string;
  check: boolean;
}

export function registerServerCommands(program: Command): void {
  const server = program.command('server').description('add, list, show and remove servers');

  server
    .command('add')
    .description('add a server reached over SSH (checks the connection and asks to trust its host key)')
    .argument('<name>', 'a name for the server, e.g. prod-eu')
    .option('--host <host>', 'host name or address (not needed with --ssh-alias)')
    .option('-p, --port <port>', 'SSH port', '22')
    .option('-u, --user <user>', 'SSH user', 'root')
    .option('-i, --key <path>', 'private key file')
    .option('--agent', 'use the keys of your ssh-agent (SSH_AUTH_SOCK)')
    .option('--ssh-alias <alias>', 'a Host of ~/.ssh/config (HostName, Port, User, IdentityFile, ProxyJump)')
    .option('--socket <path>', 'Docker socket on the server', '/var/run/docker.sock')
    .option('--proxy-port <port>', 'port the edge proxy publishes', '80')
    .option('--proxy-image <image>', 'edge proxy image (HAProxy)')
    .option('--proxy-bind <address>', 'address the edge proxy port binds to')
    .option('--color <hex>', 'colour shown in the sidebar, e.g. #4f7cff')
    .option('--no-check', 'save without connecting')
    .action((name: string, options: AddOptions, command: Command) =>
      run(command, async (ctx) => {
        const added = await ctx.call('servers.add', toInput(name, options));
        if (options.check) await ctx.call('servers.connect', { serverId: added.id });
        if (ctx.out.json) return ctx.out.data(added);
        ctx.out.line(`Added ${ctx.out.paint('bold', added.name)} (${added.id}).`);
        if (options.check) printOverview(ctx, await ctx.call('servers.overview', { serverId: added.id }));
      }),
    );

  server
    .command('list')
    .description('list servers')
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
    .action((name: string, _options: unknown, command: Command) =>
      run(command, async (ctx) => {
        const found = await resolveServer(ctx, name);
        const overview = await ctx.call('servers.overview', { serverId: found.id });
        if (ctx.out.json) return ctx.out.data(overview);
        printOverview(ctx, overview);
      }),
    );

  server
    .command('remove')
    .description("forget a server (its deployment history stays on disk until you delete Berth's home)")
    .argument('<server>', 'server id or name')
    .action((name: string, _options: unknown, command: Command) =>
      run(command, async (ctx) => {
        const found = await resolveServer(ctx, name);
        const result = await ctx.call('servers.remove', { serverId: found.id });
        if (ctx.out.json) return ctx.out.data(result);
        ctx.out.line(`Removed ${found.name}.`);
      }),
    );
}

function toInput(name: string, options: AddOptions): ServerInput {
  const chosen = [options.key, options.agent, options.sshAlias].filter(Boolean).length;
  if (chosen !== 1) throw new BerthError('INVALID_INPUT', 'Choose exactly one way to log in: --key PATH, --agent or --ssh-alias ALIAS.');
  const auth: ServerAuth = options.key
    ? { kind: 'key', keyPath: options.key }
    : options.agent
      ? { kind: 'agent' }
      : { kind: 'sshConfig', alias: options.sshAlias! };
  const host = options.host ?? options.sshAlias;
  if (!host) throw new BerthError('INVALID_INPUT', 'Give the server address with --host.');
  return {
    name,
    host,
    port: Number(options.port),
    user: options.user,
    auth,
    dockerSocket: options.socket,
    ...(options.color ? { color: options.color } : {}),
    proxy: {
      httpPort: Number(options.proxyPort),
      image: options.proxyImage ?? 'haproxy:2.9-alpine',
      bindAddress: options.proxyBind ?? '0.0.0.0',
    },
  };
}

function address(server: Server): string {
  return server.auth.kind === 'local' ? 'this computer' : `${server.user}@${server.host}:${server.port}`;
}

function describeAuth(auth: ServerAuth): string {
  switch (auth.kind) {
    case 'agent':
      return 'ssh-agent';
    case 'key':
      return `key ${auth.keyPath}`;
    case 'sshConfig':
      return `ssh config ${auth.alias}`;
    case 'local':
      return 'local socket';
  }
}

const GiB = 1024 ** 3;

export function printOverview(ctx: CliContext, overview: ServerOverview): void {
  const { status, docker } = overview;
  ctx.out.line(`${overview.serverId}: ${status.state}${status.error ? ` — ${status.error.message}` : ''}`);
  if (!docker) return;
  const disk = docker.disk ? `${(docker.disk.freeBytes / GiB).toFixed(1)} GiB free of ${(docker.disk.totalBytes / GiB).toFixed(1)} GiB` : 'unknown';
  ctx.out.table(
    ['', ''],
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
