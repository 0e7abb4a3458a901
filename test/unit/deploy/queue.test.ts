import { describe, expect, it } from 'vitest';
import { DeployQueue } from '../../../electron/core/deploy/queue';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('DeployQueue', () => {
  it('runs one job per app at a time, in order, and apps side by side', async () => {
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const queue = new DeployQueue(async (job) => {
      started.push(job.id);
      const gate = deferred();
      gates.set(job.id, gate);
      await gate.promise;
    });
    queue.enqueue({ serverId: 's', app: 'a', id: 'a1' });
    queue.enqueue({ serverId: 's', app: 'a', id: 'a2' });
    queue.enqueue({ serverId: 's', app: 'b', id: 'b1' });
    expect(started).toEqual(['a1', 'b1']);
    expect(queue.snapshot().map((j) => j.id)).toEqual(['a1', 'a2', 'b1']);
    gates.get('a1')?.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual(['a1', 'b1', 'a2']);
    gates.get('a2')?.resolve();
    gates.get('b1')?.resolve();
    await queue.idle();
    expect(queue.snapshot()).toEqual([]);
  });

  it('aborts exactly the running job asked for, with a cancel reason', async () => {
    const reasons: unknown[] = [];
    const queue = new DeployQueue(
      (job, signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            reasons.push([job.id, (signal.reason as { code: string }).code]);
            resolve();
          });
        }),
    );
    queue.enqueue({ serverId: 's', app: 'a', id: 'a1' });
    queue.enqueue({ serverId: 's', app: 'b', id: 'b1' });
    await queue.abort('a1');
    expect(reasons).toEqual([['a1', 'CANCELLED']]);
    expect(queue.isRunning('b1')).toBe(true);
    const dropped = await queue.abortAll();
    expect(dropped).toEqual([]);
    expect(reasons).toContainEqual(['b1', 'INTERRUPTED']);
  });

  it('takes a waiting job out without running it', async () => {
    const ran: string[] = [];
    const gate = deferred();
    const queue = new DeployQueue(async (job) => {
      ran.push(job.id);
      await gate.promise;
    });
    queue.enqueue({ serverId: 's', app: 'a', id: 'a1' });
    queue.enqueue({ serverId: 's', app: 'a', id: 'a2' });
    expect(queue.dequeue('s', 'a', 'a2')).toBe(true);
    expect(queue.dequeue('s', 'a', 'a1')).toBe(false);
    gate.resolve();
    await queue.idle();
    expect(ran).toEqual(['a1']);
  });
});
