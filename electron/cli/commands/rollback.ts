import type { Command } from 'commander';
import type { RollbackPlan } from '../../../shared/api/rollback';
import { BerthError } from '../../../shared/errors';
import type { CliContext } from '../context';
import { reportOutcome } from '../deployment-watch';
import { deployAndWatch } from './deploy';
import { EXIT, exitCodeForDeployment } from '../exit-codes';
import { renderTable } from '../output';
import { planRollback, startRollback, type RollbackRequest } from '../rollback-api';
import { planRows } from '../rollback-plan';
import { chooseRollbackTarget } from '../rollback-target';
import { appHistory, resolveApp } from '../resolve';
import { run } from '../run';

interface RollbackOptions {
  server?: string;
  to?: string;
  redeploy?: boolean;
  yes?: boolean;
  followBuild?: boolean;
  watch: boolean;
}

export function registerRollbackCommand(program: Command): void {
  program
    .command('rollback')
    .description('run an earlier release again, exactly as it ran (no build)')
    .argument('<app>', 'the app')
    .option('-s, --server <server>', 'the server the app is on (needed only when two servers have an app of that name)')
    .option('--to <seq>', 'the deployment to go back to, e.g. 12 (default: the latest release before the live one)')
    .option('--redeploy', "run that release's image with the app's current config instead of its own")
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .option('--follow-build', 'print the deploy log as it is written (the default on a terminal)')
    .option('--no-follow-build', 'print only the phases')
    .option('--no-watch', "exit once live instead of staying for the app's watch window")
    .addHelpText(
      'after',
      `
Berth shows what changes (image, config, env; secret values masked) and asks before switching. The switch is the
same zero-downtime one as a deploy; the rollback gets its own row in \`berth history\`.

Exit status: 0 live, 1 failed, 2 no --yes without a terminal, 3 refused (the image is gone, nothing to roll back
to), 4 the server could not be reached.

Examples:
  $ berth rollback web
  $ berth rollback web --to 12 --yes
  $ berth rollback web --to 12 --redeploy --yes --json`,
    )
    .action((name: string, options: RollbackOptions, command: Command) =>
      run(command, async (ctx) => {
        const { server, app } = await resolveApp(ctx, name, options.server);
        const history = await appHistory(ctx, server.id, app.name);
        const target = chooseRollbackTarget(history, app.name, options.to);
        const live = history.find((d) => d.status === 'live');
        if (live?.id === target.id) throw new BerthError('NOT_ROLLBACK_CAPABLE', `${app.name} #${target.seq} is already live.`);
        const request: RollbackRequest = { serverId: server.id, app: app.name, target, mode: options.redeploy ? 'redeploy' : 'exact' };

        const plan = await planRollback(ctx, request);
        if (!plan.capable) {
          const refusal = plan.refusal ?? { code: 'NOT_ROLLBACK_CAPABLE' as const, message: plan.reason };
          throw new BerthError(refusal.code, refusal.message, refusal.details);
        }
        printPlan(ctx, plan);
        if (!(await confirmed(ctx, options.yes, `Roll ${app.name} back to #${target.seq}?`))) return EXIT.failed;

        const verb = request.mode === 'redeploy' ? `Redeploying #${target.seq} as` : `Rolling back to #${target.seq} as`;
        const final = await deployAndWatch(ctx, { followBuild: options.followBuild ?? ctx.out.interactive, verb, watch: options.watch }, () => startRollback(ctx, request));
        reportOutcome(ctx, final);
        return exitCodeForDeployment(final);
      }),
    );
}

function printPlan(ctx: CliContext, plan: RollbackPlan): void {
  const { out } = ctx;
  out.note(`${plan.mode === 'redeploy' ? 'Redeploy' : 'Roll back'} ${out.paintErr('bold', plan.app)} to #${plan.target.seq}${plan.target.title ? ` — ${plan.target.title}` : ''} (${plan.reason})`);
  for (const line of renderTable(['', 'NOW', 'AFTER'], planRows(plan), (t) => out.paintErr('dim', t))) out.note(`  ${line}`);
  for (const text of plan.notUndone) out.note(`${out.paintErr('yellow', 'not undone')} ${text}`);
  for (const warning of plan.warnings) out.note(`${out.paintErr('yellow', 'warning')} ${warning}`);
}

/** --yes, or a yes on the terminal; without either nothing happens (a script must say --yes). */
async function confirmed(ctx: CliContext, yes: boolean | undefined, question: string): Promise<boolean> {
  if (yes) return true;
  if (!ctx.interactive) throw new BerthError('INVALID_INPUT', 'Pass --yes to roll back without a terminal to confirm on.');
  return ctx.confirm(question);
}
