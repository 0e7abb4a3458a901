import type { Deployment, DeploymentStatus, DeploymentSummary } from '../../shared/api/deployments';
import type { EventData } from '../../shared/api';
import { toEnvelope } from '../../shared/errors';
import type { CliContext } from './context';
import { duration } from './format';
import { ProgressOrder } from './progress';
import { onInterrupt, printError } from './run';

/** Where a deployment's own run ends; stepping down later (superseded, rolled back) is another deployment's doing. */
const FINAL: ReadonlySet<DeploymentStatus> = new Set(['live', 'failed', 'cancelled', 'rolled-back', 'superseded', 'interrupted']);

export function isFinal(status: DeploymentStatus): boolean {
  return FINAL.has(status);
}

export interface WatchOptions {
  /** Print the build and deploy log as it is written. */
  followBuild: boolean;
  /** How the first progress line starts, e.g. `Deploying` (then `web #3 on prod-eu`). */
  verb: string;
}

type LogBatch = EventData<'deployments.log'>;
type Event = { topic: 'changed'; data: DeploymentSummary; at: number } | { topic: 'log'; data: LogBatch };

const TAIL_ON_FAILURE = 20;

/**
 * Starts a deployment (deploy, rollback or redeploy) and follows it on the engine's bus until its run ends, printing
 * each phase and, when asked, the build log to stderr. Ctrl+C asks the engine to cancel exactly this deployment;
 * the live version keeps serving. Resolves with the final record.
 */
export async function runAndWatch(ctx: CliContext, start: () => Promise<Deployment>, options: WatchOptions): Promise<Deployment> {
  const { out } = ctx;
  const began = Date.now();
  const early: Event[] = [];
  const tail: string[] = [];
  let id: string | undefined;
  let last: DeploymentStatus | undefined;
  let finish: (() => void) | undefined;
  const ended = new Promise<void>((resolve) => (finish = resolve));

  const order = new ProgressOrder((item) => {
    if (item.kind === 'phase') {
      const tone = item.status === 'live' ? 'green' : isFinal(item.status) ? 'red' : 'blue';
      out.note(`${out.paintErr('grey', `[${duration(item.at - began).padStart(7)}]`)} ${out.paintErr(tone, item.status)}`);
    } else if (options.followBuild) {
      out.note(`${' '.repeat(10)}${out.paintErr(item.line.stream === 'err' ? 'red' : 'dim', `│ ${item.line.text}`)}`);
    }
  });
  const handle = (event: Event): void => {
    if (event.topic === 'log') {
      for (const line of event.data.lines) {
        tail.push(line.text);
        if (tail.length > TAIL_ON_FAILURE) tail.shift();
      }
      order.lines(event.data.lines);
      return;
    }
    const { status } = event.data;
    if (status === last) return;
    last = status;
    order.phase(status, event.at);
    // the engine writes the last log lines in the same turn as the final status: let them arrive first
    if (isFinal(status)) {
      setImmediate(() => {
        order.flush();
        finish?.();
      });
    }
  };
  const offChanged = ctx.on('deployments.changed', (data) => {
    const event: Event = { topic: 'changed', data, at: Date.now() };
    if (id === undefined) early.push(event);
    else if (data.id === id) handle(event);
  });
  const offLog = ctx.on('deployments.log', (data) => {
    if (id === undefined) early.push({ topic: 'log', data });
    else if (data.deploymentId === id) handle({ topic: 'log', data });
  });

  let stopInterrupt: (() => void) | undefined;
  try {
    const queued = await start();
    id = queued.id;
    out.note(`${options.verb} ${out.paintErr('bold', `${queued.app} #${queued.seq}`)} on ${queued.serverId}${queued.title ? ` — ${queued.title}` : ''}`);
    for (const event of early.splice(0)) {
      const target = event.topic === 'log' ? event.data.deploymentId : event.data.id;
      if (target === id) handle(event);
    }
    const current = await ctx.call('deployments.get', { serverId: queued.serverId, deploymentId: queued.id });
    if (isFinal(current.status)) handle({ topic: 'changed', data: current, at: Date.now() });

    stopInterrupt = onInterrupt(() => {
      out.note(`Cancelling ${queued.app} #${queued.seq}; the live version keeps serving. (Press Ctrl+C again to quit at once.)`);
      ctx.call('deployments.cancel', { serverId: queued.serverId, deploymentId: queued.id }).catch((error: unknown) => printError(out, toEnvelope(error)));
    });
    await ended;
    const final = await ctx.call('deployments.get', { serverId: queued.serverId, deploymentId: queued.id });
    if (final.status !== 'live' && !options.followBuild && tail.length > 0) {
      out.note(out.paintErr('dim', `Last lines of its log (berth logs ${final.app} --deployment ${final.seq} has all of it):`));
      for (const text of tail) out.note(out.paintErr('dim', `  │ ${text}`));
    }
    return final;
  } finally {
    stopInterrupt?.();
    offChanged();
    offLog();
  }
}

/** The closing line of a deploy or rollback: what is live now, or why not. */
export function reportOutcome(ctx: CliContext, d: Deployment): void {
  const { out } = ctx;
  if (out.json) out.data(d);
  const took = d.finishedAt && d.timestamps.queued ? ` in ${duration(Date.parse(d.finishedAt) - Date.parse(d.timestamps.queued))}` : '';
  if (d.status === 'live') {
    if (!out.json) out.line(`${out.paint('green', '✔')} ${d.app} #${d.seq} is live on ${d.serverId}${took}.`);
    return;
  }
  const why = d.error ? `${d.error.message} ${out.paintErr('grey', `(${d.error.code})`)}` : 'it did not go live.';
  out.note(`${out.paintErr('red', '✖')} ${d.app} #${d.seq} ${d.status}${took}: ${why}`);
}
