import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Deployment, DeploymentStatus } from '../../../shared/api/deployments';
import type { CliContext } from '../../../electron/cli/context';
import { DeploymentFollower } from '../../../electron/cli/deployment-watch';
import { Output } from '../../../electron/cli/output';
import { deployment } from './fixtures';

/** The parts of a CliContext the follower uses: events, a few calls, and where it writes. */
class FakeContext {
  readonly bus = new EventEmitter();
  readonly err = new PassThrough();
  readonly out = new Output(new PassThrough(), this.err, false, { NO_COLOR: '1' });
  record: Deployment = deployment(2, { status: 'queued', timestamps: { queued: new Date().toISOString() }, finishedAt: null });
  queued = true;
  cancelled = false;

  on(topic: string, listener: (data: unknown) => void): () => void {
    this.bus.on(topic, listener);
    return () => this.bus.off(topic, listener);
  }

  async call(method: string): Promise<unknown> {
    if (method === 'deployments.get') return this.record;
    if (method === 'deployments.queue') return this.queued ? [{ id: this.record.id }] : [];
    if (method === 'deployments.cancel') return (this.cancelled = true);
    throw new Error(`unexpected ${method}`);
  }

  move(status: DeploymentStatus): void {
    this.record = { ...this.record, status };
    this.bus.emit('deployments.changed', { ...this.record });
  }

  log(text: string): void {
    this.bus.emit('deployments.log', { serverId: 's1', deploymentId: this.record.id, lines: [{ at: new Date().toISOString(), stream: 'info', text }] });
  }

  printed(): string {
    return this.err.read()?.toString() ?? '';
  }
}

const follower = (fake: FakeContext) => new DeploymentFollower(fake as unknown as CliContext, { followBuild: true, verb: 'Deploying' });

afterEach(() => vi.useRealTimers());

describe('following a deployment from the CLI', () => {
  it('prints its phases and log, and resolves only once its job has left the queue', async () => {
    const fake = new FakeContext();
    const f = follower(fake);
    const done = f.run(async () => fake.record);
    let resolved = false;
    void done.then(() => (resolved = true));
    await new Promise((r) => setImmediate(r));
    fake.move('building');
    fake.log('Step 1/3');
    fake.move('live');
    await new Promise((r) => setTimeout(r, 250));
    expect(resolved).toBe(false);
    fake.log('Stopped the previous version');
    fake.queued = false;
    const final = await done;
    f.dispose();
    expect(final.status).toBe('live');
    const text = fake.printed();
    expect(text).toContain('Deploying web #2 on s1');
    expect(text.indexOf('building')).toBeLessThan(text.indexOf('│ Step 1/3'));
    expect(text).toContain('│ Stopped the previous version');
  });

  it('reports no watch window when the engine starts none', async () => {
    const fake = new FakeContext();
    fake.record = { ...fake.record, status: 'live' };
    const f = follower(fake);
    vi.useFakeTimers();
    const verdict = f.watch(fake.record);
    await vi.advanceTimersByTimeAsync(3000);
    expect(await verdict).toEqual({ verdict: 'none' });
    f.dispose();
  });

  it('waits for the watch verdict and says it passed', async () => {
    const fake = new FakeContext();
    fake.record = { ...fake.record, status: 'live' };
    const f = follower(fake);
    const until = new Date(Date.now() + 1000).toISOString();
    const verdict = f.watch(fake.record);
    fake.bus.emit('deployments.watch', { serverId: 's1', app: 'web', deploymentId: fake.record.id, state: 'watching', until, probes: 0 });
    fake.bus.emit('deployments.watch', { serverId: 's1', app: 'web', deploymentId: fake.record.id, state: 'passed', until, probes: 4 });
    expect(await verdict).toEqual({ verdict: 'passed' });
    expect(fake.printed()).toContain('stayed healthy through its watch window (4 probes)');
    f.dispose();
  });
});
