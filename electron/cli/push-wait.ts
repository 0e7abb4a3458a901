import type { Deployment } from '../../shared/api/deployments';
import type { CliContext } from './context';
import { onInterrupt } from './run';

/** The record is asked again this often too, in case the engine's word was missed. */
const POLL_MS = 1000;

/**
 * Waits for a live release's push to its registry, which runs after it went live (and for the retries of earlier
 * failed pushes that follow it): the engine closes with this command, and closing it would cut them short. Says what
 * it waits for and how the push ended; on Ctrl+C it stops waiting and says what is left undone. Returns the record.
 */
export async function awaitPush(ctx: CliContext, record: Deployment): Promise<Deployment> {
  const get = (): Promise<Deployment> => ctx.call('deployments.get', { serverId: record.serverId, deploymentId: record.id });
  let current = await get();
  if (current.push?.state !== 'pushing') return current;
  ctx.out.note(`Pushing ${current.app} #${current.seq} to ${current.push.registry}…`);
  let wake: (() => void) | undefined;
  let interrupted = false;
  const offChanged = ctx.on('deployments.changed', (d) => {
    if (d.id === record.id) wake?.();
  });
  const offInterrupt = onInterrupt(() => {
    interrupted = true;
    wake?.();
  });
  try {
    while (current.push?.state === 'pushing' && !interrupted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      current = await get();
    }
    // then earlier releases whose push had failed are tried again: closing the engine now would cut them short
    if (!interrupted) await Promise.race([ctx.engine.rollback.idle(), new Promise<void>((resolve) => (wake = resolve))]);
  } finally {
    offChanged();
    offInterrupt();
  }
  const push = current.push;
  if (push?.state === 'pushing') {
    ctx.out.note(`Stopped waiting for the push of ${current.app} #${current.seq} to ${push.registry}: it is cut short now, and the next deploy of ${current.app} pushes it again.`);
  } else if (push?.state === 'pushed') {
    ctx.out.note(`Pushed ${current.app} #${current.seq} to ${push.registry}${current.image?.digest ? ` (${current.image.digest})` : ''}.`);
  } else if (push?.state === 'failed') {
    ctx.out.note(`${ctx.out.paintErr('yellow', 'warning')} ${current.app} #${current.seq} is live but was not pushed to ${push.registry}: ${push.error?.message ?? 'the push failed.'}`);
  }
  return current;
}

/** A registry just set gets the releases kept on the server: the command waits for those pushes rather than cut them. */
export async function awaitBackfill(ctx: CliContext, app: string, registry: string): Promise<void> {
  ctx.out.note(`Pushing the releases of ${app} kept on the server to ${registry}… (Ctrl+C leaves them for the next deploy)`);
  let stop: (() => void) | undefined;
  const interrupted = new Promise<'interrupted'>((resolve) => (stop = () => resolve('interrupted')));
  const off = onInterrupt(() => stop?.());
  try {
    const outcome = await Promise.race([ctx.engine.rollback.idle().then(() => 'done' as const), interrupted]);
    if (outcome === 'interrupted') ctx.out.note(`Stopped pushing the releases of ${app} to ${registry}; the next deploy pushes its own release.`);
  } finally {
    off();
  }
}
