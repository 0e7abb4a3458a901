import { Option, type Command } from 'commander';
import type { App } from '../../../shared/api/apps';
import type { Deployment } from '../../../shared/api/deployments';
import { buildModes } from '../../../shared/api/build-mode-names';
import { pullPolicies } from '../../../shared/api/pull-policies';
import { restartPolicies } from '../../../shared/api/restart-policies';
import { BerthError } from '../../../shared/errors';
import { appInputFrom, appPatchFrom, editEnv, hasEnvEdits, rollbackPatchFrom, type AppAddOptions, type AppSetOptions, type RollbackOptions } from '../app-input';
import { collect, integer, parseCommand, parseDuration, parseKeyValue, parsePublish, parseVolume, positiveNumber, repeatable, type KeyValue } from '../args';
import type { CliContext } from '../context';
import { readEnvFiles } from '../env-file';
import { EXIT } from '../exit-codes';
import { describeSource } from '../../../shared/format';
import { age, appRows, envRows, rollbackRows } from '../format';
import { resolveApp, resolveServer } from '../resolve';
import { awaitBackfill } from '../push-wait';
import { run } from '../run';
import { registerClearCacheCommand } from './build';
import { parseSecretArg, parseSecretEnvArg, processSecretSources, resolveSecrets, type SecretArg } from '../secret-input';

const keyValue = (option: string) => repeatable((text) => parseKeyValue(text, option));

export function registerAppCommands(program: Command): void {
  const app = program
    .command('app')
    .description('add, list, show, change and remove apps, and edit their env')
    .addHelpText('after', '\nExamples:\n  $ berth app add web --server prod-eu --folder . --domain web.example.com\n  $ berth app env web --set LOG_LEVEL=debug --secret DATABASE_URL < database-url.txt');
  registerAdd(app);
  registerList(app);
  registerShow(app);
  registerSet(app);
  registerEnv(app);
  registerRemove(app);
  registerClearCacheCommand(app);
}

type AddOptions = Omit<AppAddOptions, 'secret'> &
  RollbackOptions & { server?: string; envFile?: string[]; registryPasswordEnv?: string; secret?: SecretArg[]; secretEnv?: SecretArg[] };

/** The settings `app add` and `app set` share: source, build, routing, health, resources, retention. */
function withSettings(command: Command, verb: 'add' | 'set'): Command {
  const dflt = (text: string): string => (verb === 'add' ? ` (default: ${text})` : '');
  return command
    .option('--folder <path>', `source: a folder on this computer, built on the server${dflt('the current folder')}`)
    .option('--git <url>', 'source: a git repository, fetched on the server (or on this computer when the server has no git)')
    .option('--ref <ref>', `branch, tag or commit of the git source${dflt('main')}`)
    .addOption(new Option('--fetch-on <where>', `where the git source is fetched${dflt('the server when it has git, else this computer')}`).choices(['server', 'this-computer']))
    .option('--image <ref>', 'source: an image the server pulls, e.g. ghcr.io/acme/web:1.4')
    .option('--archive-drop [root]', 'source: a .zip or .tar.gz given with each deploy (berth deploy --archive FILE), built from ROOT inside it')
    .addOption(new Option('--pull <policy>', `when an image source is pulled: only when the server lacks it, on every deploy, or never${dflt('missing')}`).choices(pullPolicies))
    .option('--dockerfile <path>', `Dockerfile, relative to the build context${dflt('Dockerfile')}`)
    .option('--context <dir>', `build context inside the source${dflt('.')}`)
    .option('--build-arg <KEY=VALUE>', 'a build argument (repeatable)', keyValue('--build-arg'))
    .option('--target <stage>', 'build this stage of a multi-stage Dockerfile')
    .option('--clean', 'always build without the layer cache')
    .addOption(
      new Option('--build-mode <mode>', `dockerfile, static (serve the build context as files) or auto (detect the stack and write a Dockerfile; see berth plan)${dflt('dockerfile')}`).choices(buildModes),
    )
    .option('--base-image <STACK=IMAGE>', 'base image of a written Dockerfile for node, bun, python, go, goRuntime or static (repeatable)', keyValue('--base-image'))
    .option('-p, --port <port>', `container port the edge proxy sends HTTP to${dflt('8080')}`, integer(1, 65535))
    .option('--no-proxy', 'keep the app off the edge proxy (a worker, or published ports only)')
    .option('--domain <host>', 'a host name the proxy routes to the app (repeatable)', collect)
    .option('--publish <[ip:]port:port>', 'publish a port on the server, as docker run -p (repeatable)', repeatable(parsePublish))
    .option('--volume <source:/target[:ro]>', 'mount a named volume or a server path (repeatable)', repeatable(parseVolume))
    .option('--health-path <path>', `HTTP health check: GET this path until it answers 2xx${dflt('/')}`)
    .option('--health-tcp', 'health check: the port accepts connections')
    .option('--health-cmd <command>', 'health check: this command exits 0 inside the container', parseCommand)
    .option('--no-health', 'no health check: running is healthy')
    .option('--health-interval <duration>', 'time between probes, e.g. 1s', parseDuration)
    .option('--health-timeout <duration>', 'time one probe may take', parseDuration)
    .option('--health-retries <count>', 'failed probes that fail the deployment', integer(1, 1000))
    .option('--health-start-period <duration>', 'failures in this time after start do not count', parseDuration)
    .option('--replicas <count>', 'containers to run', integer(1, 32))
    .option('--cpus <count>', 'CPU limit per container, e.g. 0.5', positiveNumber)
    .option('--memory <MB>', 'memory limit per container in MB', integer(6))
    .addOption(new Option('--restart <policy>', 'restart policy').choices(restartPolicies))
    .option('--command <command>', "override the image's command (shell form, or a JSON array)", parseCommand)
    .option('--label <KEY=VALUE>', 'a container label (repeatable)', keyValue('--label'))
    .option('--keep-last <count>', 'keep only the last N releases (live and pinned ones always stay)', integer(1))
    .option('--keep-days <days>', 'keep releases only this many days', integer(1))
    .option('--preview-limit <count>', `previews of branches that may run at once, 0 for none${dflt('3')}`, integer(0, 50))
    .option('--watch <duration>', `after going live, keep probing this long and roll back on failure; 0 turns it off${dflt('1m')}`, parseDuration)
    .option('--watch-failures <count>', `failed probes in a row that roll a release back${dflt('3')}`, integer(1, 100))
    .option('--auto-rollback', 'roll back a release that fails its health check without asking (the default)')
    .option('--no-auto-rollback', 'never roll back without being asked')
    .option('--keep-rollback-points <count>', `releases besides the live one whose images stay on the server${dflt('5')}`, integer(0, 100))
    .option('--registry <url>', "push each release to this registry so a rollback can pull it back ('none' removes it)")
    .option('--registry-user <name>', 'registry user name')
    .option('--registry-password-env <VAR>', 'read the registry password from this environment variable');
}

/** Applies the rollback settings given (if any) after the app itself was saved. */
async function applyRollbackSettings(ctx: CliContext, serverId: string, app: string, options: RollbackOptions & { registryPasswordEnv?: string }): Promise<void> {
  if (options.registryPasswordEnv !== undefined) {
    const password = process.env[options.registryPasswordEnv];
    if (password === undefined) throw new BerthError('INVALID_INPUT', `The environment variable ${options.registryPasswordEnv} is not set.`);
    options.registryPassword = password;
  }
  const patch = rollbackPatchFrom(options);
  if (!patch) return;
  const settings = await ctx.call('rollback.updateSettings', { serverId, app, patch });
  if (patch.registry && settings.registry) await awaitBackfill(ctx, app, settings.registry.url);
}

function registerAdd(app: Command): void {
  const command = app
    .command('add')
    .description('define an app on a server (nothing runs until `berth deploy`)')
    .argument('<name>', 'the app name: lowercase letters, digits and inner dashes')
    .option('-s, --server <server>', 'the server to run it on (optional when there is only one)');
  withSettings(command, 'add')
    .option('-e, --env <KEY=VALUE>', 'an env variable (repeatable)', keyValue('--env'))
    .option('--secret <KEY>', 'a secret env variable, its value read from stdin (a hidden prompt on a terminal): stored sealed, never shown', repeatable(parseSecretArg))
    .option('--secret-env <KEY=VARIABLE>', 'a secret env variable whose value is in the environment variable VARIABLE (repeatable)', repeatable(parseSecretEnvArg))
    .option('--env-file <file>', 'env variables from a .env file (repeatable; --env and --secret win)', collect)
    .addHelpText(
      'after',
      `
A malformed --env-file is refused with its line numbers (exit 2) and nothing is saved. With --json, the App.

Examples:
  $ berth app add web --server prod-eu --domain web.example.com --env-file .env.production
  $ berth app add api --git git@github.com:acme/api.git --ref release --port 3000 --health-path /healthz
  $ berth app add worker --image ghcr.io/acme/worker:4 --no-proxy --secret QUEUE_URL < queue-url.txt
  $ QUEUE_URL=amqp://… berth app add worker --image ghcr.io/acme/worker:4 --secret-env QUEUE_URL=QUEUE_URL`,
    )
    .action((name: string, options: AddOptions, command: Command) =>
      run(command, async (ctx) => {
        const server = await resolveServer(ctx, options.server);
        const fileVars = await readEnvFiles(ctx, options.envFile ?? []);
        const secret = await resolveSecrets([...(options.secret ?? []), ...(options.secretEnv ?? [])], processSecretSources());
        const created = await ctx.call('apps.create', appInputFrom(name, server.id, { ...options, secret }, fileVars));
        await applyRollbackSettings(ctx, server.id, created.name, options);
        if (ctx.out.json) return ctx.out.data(created);
        ctx.out.line(`Added ${ctx.out.paint('bold', created.name)} on ${server.id}. Deploy it with \`berth deploy ${created.name}\`.`);
        ctx.out.pairs(appRows(created));
      }),
    );
}

function registerSet(app: Command): void {
  const command = app
    .command('set')
    .description("change an app's settings (env has its own command: berth app env)")
    .argument('<app>', 'the app')
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)');
  withSettings(command, 'set')
    .addHelpText(
      'after',
      `
Only the settings given change; --build-arg adds to the build args, list options (--domain, --publish, --volume,
--label) replace their list. Changes apply from the next deployment. With --json, the updated App.

Examples:
  $ berth app set web --build-arg VERSION=2.4 --replicas 2
  $ berth app set api --ref hotfix-1834
  $ berth app set web --health-interval 2s --health-retries 30
  $ berth app set web --watch 5m --keep-rollback-points 10
  $ REGISTRY_TOKEN=… berth app set web --registry ghcr.io/acme --registry-user bot --registry-password-env REGISTRY_TOKEN`,
    )
    .action((name: string, options: AppSetOptions & { server?: string; registryPasswordEnv?: string }, command: Command) =>
      run(command, async (ctx) => {
        const { server, app: found } = await resolveApp(ctx, name, options.server);
        const patch = appPatchFrom(found, options);
        if (Object.keys(patch).length === 0 && !rollbackPatchFrom(options) && options.registryPasswordEnv === undefined) {
          throw new BerthError('INVALID_INPUT', 'Nothing to change: give at least one setting (berth app set --help lists them).');
        }
        const updated = Object.keys(patch).length > 0 ? await ctx.call('apps.update', { serverId: server.id, name: found.name, patch }) : found;
        await applyRollbackSettings(ctx, server.id, found.name, options);
        if (ctx.out.json) return ctx.out.data(updated);
        ctx.out.line(`Updated ${updated.name}; the changes apply from the next deployment (berth deploy ${updated.name}).`);
        ctx.out.pairs(appRows(updated));
      }),
    );
}

function registerList(app: Command): void {
  app
    .command('list')
    .description('list apps with their live release')
    .option('-s, --server <server>', 'only the apps of this server')
    .addHelpText('after', '\nWith --json, an array of App definitions.\n\nExamples:\n  $ berth app list\n  $ berth app list --server prod-eu --json')
    .action((options: { server?: string }, command: Command) =>
      run(command, async (ctx) => {
        const servers = options.server !== undefined ? [await resolveServer(ctx, options.server)] : await ctx.call('servers.list', {});
        const apps: App[] = [];
        const live = new Map<string, Deployment>();
        for (const server of servers) {
          apps.push(...(await ctx.call('apps.list', { serverId: server.id })));
          for (const d of await ctx.call('deployments.live', { serverId: server.id })) live.set(`${d.serverId}/${d.app}`, d);
        }
        if (ctx.out.json) return ctx.out.data(apps);
        if (apps.length === 0) return ctx.out.line('No apps yet. Add one with `berth app add NAME --server SERVER`.');
        ctx.out.table(
          ['SERVER', 'APP', 'LIVE', 'DOMAINS', 'SOURCE'],
          apps.map((a) => {
            const d = live.get(`${a.serverId}/${a.name}`);
            return [a.serverId, a.name, d ? ctx.out.paint('green', `#${d.seq} ${age(d.finishedAt)}`) : ctx.out.paint('grey', 'not live'), a.runtime.domains.join(', ') || '—', describeSource(a.source)];
          }),
        );
      }),
    );
}

function registerShow(app: Command): void {
  app
    .command('show')
    .description("show an app's definition and its live release")
    .argument('<app>', 'the app')
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)')
    .addHelpText('after', '\nWith --json, the App definition (secret values are never included).\n\nExample:\n  $ berth app show web')
    .action((name: string, options: { server?: string }, command: Command) =>
      run(command, async (ctx) => {
        const { server, app: found } = await resolveApp(ctx, name, options.server);
        if (ctx.out.json) return ctx.out.data(found);
        const [live] = await ctx.call('deployments.live', { serverId: server.id, app: found.name });
        const rollback = await ctx.call('rollback.settings', { serverId: server.id, app: found.name });
        ctx.out.line(ctx.out.paint('bold', found.name));
        ctx.out.pairs([
          ...appRows(found),
          ...rollbackRows(rollback),
          ['Live', live ? `#${live.seq} ${live.title || ''} (${live.kind}, ${age(live.finishedAt)})` : 'nothing yet'],
        ]);
      }),
    );
}

interface EnvOptions {
  server?: string;
  set?: KeyValue[];
  secret?: SecretArg[];
  secretEnv?: SecretArg[];
  unset?: string[];
  envFile?: string[];
}

function registerEnv(app: Command): void {
  app
    .command('env')
    .description("show an app's env (secrets masked), or change it")
    .argument('<app>', 'the app')
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)')
    .option('--set <KEY=VALUE>', 'set a variable (repeatable; a secret stays secret)', keyValue('--set'))
    .option('--secret <KEY>', 'set a secret variable, its value read from stdin (a hidden prompt on a terminal)', repeatable(parseSecretArg))
    .option('--secret-env <KEY=VARIABLE>', 'set a secret variable from the environment variable VARIABLE (repeatable)', repeatable(parseSecretEnvArg))
    .option('--unset <KEY>', 'remove a variable (repeatable)', collect)
    .option('--env-file <file>', 'merge a .env file (repeatable)', collect)
    .addHelpText(
      'after',
      `
Changes apply from the next deployment. With --json, the env after any change, as EnvVarView records
(secret values are null: they never leave the engine).

Examples:
  $ berth app env web
  $ berth app env web --set LOG_LEVEL=debug --unset OLD_FLAG
  $ berth app env web --secret STRIPE_KEY          (asks for the value, or reads it from a pipe)
  $ berth app env web --secret TLS_KEY < key.pem --env-file .env.production
  $ STRIPE_KEY=sk_live_… berth app env web --secret-env STRIPE_KEY=STRIPE_KEY`,
    )
    .action((name: string, options: EnvOptions, command: Command) =>
      run(command, async (ctx) => {
        const { server, app: found } = await resolveApp(ctx, name, options.server);
        const secret = await resolveSecrets([...(options.secret ?? []), ...(options.secretEnv ?? [])], processSecretSources());
        const edits = { set: options.set ?? [], secret, unset: options.unset ?? [], fileVars: await readEnvFiles(ctx, options.envFile ?? []) };
        let current = found;
        if (hasEnvEdits(edits)) {
          current = await ctx.call('apps.update', { serverId: server.id, name: found.name, patch: { runtime: { env: editEnv(found.runtime.env, edits) } } });
          ctx.out.note(`Updated the env of ${found.name}; it applies from the next deployment (berth deploy ${found.name}).`);
        }
        printEnv(ctx, current);
      }),
    );
}

function printEnv(ctx: CliContext, app: App): void {
  if (ctx.out.json) return ctx.out.data(app.runtime.env);
  if (app.runtime.env.length === 0) return ctx.out.line(`${app.name} has no env variables.`);
  ctx.out.table(['KEY', 'VALUE', ''], envRows(app.runtime.env));
}

function registerRemove(app: Command): void {
  app
    .command('remove')
    .description('remove an app: its containers, proxy route and definition (its history stays)')
    .argument('<app>', 'the app')
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)')
    .option('--keep-running', 'forget the definition but leave its containers running')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', '\nExample:\n  $ berth app remove web --yes')
    .action((name: string, options: { server?: string; keepRunning?: boolean; yes?: boolean }, command: Command) =>
      run(command, async (ctx) => {
        const { server, app: found } = await resolveApp(ctx, name, options.server);
        if (!options.yes) {
          if (!ctx.interactive) throw new BerthError('INVALID_INPUT', `Removing ${found.name} stops it on ${server.id}: pass --yes to confirm without a terminal.`);
          if (!(await ctx.confirm(`Remove ${found.name} from ${server.id}${options.keepRunning ? '' : ' and stop its containers'}?`))) return EXIT.failed;
        }
        const result = await ctx.call('apps.remove', { serverId: server.id, name: found.name, keepRunning: Boolean(options.keepRunning) });
        if (ctx.out.json) return ctx.out.data(result);
        ctx.out.line(`Removed ${found.name} from ${server.id}.`);
      }),
    );
}
