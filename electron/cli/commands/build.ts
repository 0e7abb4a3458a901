import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { BuildPlan } from '../../../shared/api/builds';
import { BerthError } from '../../../shared/errors';
import type { CliContext } from '../context';
import type { Output } from '../output';
import { resolveApp } from '../resolve';
import { run } from '../run';

const ORIGIN: Record<BuildPlan['origin'], string> = {
  source: "the source's own Dockerfile",
  kept: 'the Dockerfile kept in the app',
  static: 'a static site served by busybox httpd',
  generated: 'a Dockerfile generated for the stack found',
};

/** A plan as text: what it builds with and why, then the Dockerfile Berth writes (if it writes one). */
export function planLines(plan: BuildPlan): string[] {
  const lines = [`Builds with ${ORIGIN[plan.origin]}${plan.stack && plan.origin === 'generated' ? ` (${plan.stack})` : ''}: ${plan.dockerfilePath}`];
  for (const fact of plan.evidence) lines.push(`  found: ${fact}`);
  for (const note of plan.notes) lines.push(`  note: ${note}`);
  if (plan.dockerfile !== null) lines.push('', ...plan.dockerfile.replace(/\n$/, '').split('\n'));
  return lines;
}

/** `berth deploy --plan` shows the plan on stderr, so stdout keeps only the deployment's result. */
export async function notePlan(ctx: CliContext, serverId: string, app: string): Promise<void> {
  const plan = await ctx.call('builds.plan', { serverId, app });
  for (const line of planLines(plan)) ctx.out.note(line);
  ctx.out.note('');
}

function printPlan(out: Output, plan: BuildPlan): void {
  if (out.json) return out.data(plan);
  for (const line of planLines(plan)) out.line(line);
}

interface PlanOptions {
  server?: string;
  save?: string | boolean;
  dropSaved?: boolean;
}

export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description('show how the next deployment of an app will build it, and keep an edited plan in the app')
    .argument('<app>', 'the app')
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)')
    .option('--save [file]', "keep this plan (or the Dockerfile in FILE, '-' for stdin) in the app: later builds use it instead of detecting")
    .option('--drop-saved', "forget the Dockerfile kept in the app: build from the source's Dockerfile again")
    .addHelpText(
      'after',
      `
The build mode (berth app set --build-mode) decides the plan: dockerfile uses the source's Dockerfile (or the one
kept in the app), static serves the build context as files, auto detects the stack (Node, Bun, Python, Go, a static
site, a Procfile's web: line) and writes a Dockerfile. A git source is cloned on the server to read it. With --json,
the BuildPlan.

Examples:
  $ berth plan web
  $ berth plan web > Dockerfile.plan && vi Dockerfile.plan && berth plan web --save Dockerfile.plan
  $ berth app set web --build-mode auto --base-image node=registry.local/node:22-slim`,
    )
    .action((name: string, options: PlanOptions, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await resolveApp(ctx, name, options.server);
        if (options.save !== undefined && options.dropSaved) throw new BerthError('INVALID_INPUT', 'Give --save or --drop-saved, not both.');
        if (options.dropSaved) {
          await ctx.call('apps.update', { serverId: server.id, name: app.name, patch: { build: { dockerfileText: null, mode: 'dockerfile' } } });
          if (!ctx.out.json) ctx.out.note(`${app.name} builds from its source's Dockerfile again.`);
        } else if (options.save !== undefined) {
          const text = typeof options.save === 'string' ? readFileSync(options.save === '-' ? 0 : options.save, 'utf8') : (await ctx.call('builds.plan', { serverId: server.id, app: app.name })).dockerfile;
          if (!text) throw new BerthError('INVALID_INPUT', `${app.name} builds from its source's Dockerfile: there is no written plan to keep. Give the Dockerfile to keep: --save FILE.`);
          await ctx.call('apps.update', { serverId: server.id, name: app.name, patch: { build: { mode: 'dockerfile', dockerfileText: text } } });
          if (!ctx.out.json) ctx.out.note(`Kept the plan in ${app.name}; its next deployment builds with it.`);
        }
        printPlan(ctx.out, await ctx.call('builds.plan', { serverId: server.id, app: app.name }));
      }),
    );
}

export function registerClearCacheCommand(app: Command): void {
  app
    .command('clear-cache')
    .description("clear what an app's builds left in the server's build cache, and say what was freed")
    .argument('<app>', 'the app')
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)')
    .addHelpText(
      'after',
      `
Removes the BuildKit cache records the server's Docker created while this app's builds ran (its layers and
RUN --mount=type=cache folders) and the app's dangling images. The next build starts cold. Releases and their
images stay. With --json, { records, images, bytes, inUse, message }.

Example:
  $ berth app clear-cache web`,
    )
    .action((name: string, options: { server?: string }, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await resolveApp(ctx, name, options.server);
        const cleared = await ctx.call('builds.clearCache', { serverId: server.id, app: app.name });
        if (ctx.out.json) return ctx.out.data(cleared);
        ctx.out.line(cleared.message);
      }),
    );
}
