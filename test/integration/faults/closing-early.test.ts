import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/core/engine';
import type { Input, Method, Output } from '../../../shared/api';
import { BerthError } from '../../../shared/errors';
import { deployment } from '../../unit/deploy/fixtures';

// A server that accepts TCP and never says a word: reaching it hangs until the connect timeout. Startup
// reconciliation of a record left in progress is then still under way when the engine closes or is read.
let silent: net.Server;
let port: number;
const sockets = new Set<net.Socket>();

async function call<M extends Method>(engine: Engine, method: M, input: Input<M>): Promise<Output<M>> {
  const outcome = await engine.dispatcher.call(method, input, { clientId: 'test', signal: new AbortController().signal, emit: () => undefined });
  if (!outcome.ok) throw BerthError.fromEnvelope(outcome.error);
  return outcome.value as Output<M>;
}

/** A home with one server and one deployment left "building" by a process that is gone. */
async function homeWithStaleRecord(): Promise<{ home: string; serverId: string; id: string }> {
  const home = mkdtempSync(join(tmpdir(), 'berth-close-'));
  const keyPath = join(home, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
  const engine = createEngine({ home });
  const server = await call(engine, 'servers.add', { name: 'silent', host: '127.0.0.1', port, user: 'root', auth: { kind: 'key', keyPath } });
  engine.deploy.store.save(
    deployment({ id: 'web-1-dead00', serverId: server.id, status: 'building', timestamps: { queued: new Date().toISOString(), building: new Date().toISOString() }, owner: { host: 'elsewhere', pid: 1 } }),
  );
  await engine.close();
  return { home, serverId: server.id, id: 'web-1-dead00' };
}

beforeAll(async () => {
  silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  port = (silent.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe('an engine that closes while it reconciles', () => {
  it('leaves the records as they were instead of calling the server unreachable', async () => {
    const { home, serverId, id } = await homeWithStaleRecord();
    const engine = createEngine({ home });
    await new Promise((r) => setTimeout(r, 300));
    await engine.close();
    const after = createEngine({ home });
    const record = after.deploy.store.get(serverId, id);
    await after.close();
    expect(record.status).toBe('building');
    expect(record.error).toBeNull();
  });

  it('answers a read of a record still being checked, marked as such, without waiting for the server', async () => {
    const { home, serverId, id } = await homeWithStaleRecord();
    const engine = createEngine({ home });
    const record = await call(engine, 'deployments.get', { serverId, deploymentId: id });
    await engine.close();
    expect(record.reconciling).toBe(true);
    expect(record.status).toBe('building');
  });
});
