import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventBus } from '../../../electron/core/events/event-bus';
import { Dispatcher, type Handlers } from '../../../electron/core/rpc/dispatcher';
import { startBridge, type Bridge } from '../../../electron/web/bridge-server';

let bridge: Bridge;
const bus = new EventBus();

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'berth-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Berth</title>');
  const handlers = { 'servers.list': async () => [] } as unknown as Handlers;
  bridge = await startBridge({ engine: { dispatcher: new Dispatcher(handlers), bus }, rendererDir });
});

afterAll(() => bridge.close());

function open(token: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/rpc?token=${token}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const ownOrigin = () => `http://127.0.0.1:${bridge.port}`;

function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (raw) => resolve(JSON.parse(raw.toString()))));
}

describe('the browser bridge', () => {
  it('listens on loopback only and prints a URL carrying its token', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/?token=${bridge.token}`);
    expect(bridge.token.length).toBeGreaterThanOrEqual(24);
  });

  it('serves the renderer with a strict content security policy', async () => {
    const response = await fetch(`http://127.0.0.1:${bridge.port}/`);
    expect(await response.text()).toContain('<title>Berth</title>');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses a socket with a wrong token', async () => {
    await expect(open('not-the-token', ownOrigin())).rejects.toThrow('refused with 403');
  });

  it('refuses a socket opened from another origin', async () => {
    await expect(open(bridge.token, 'http://evil.example')).rejects.toThrow('refused with 403');
  });

  it('answers calls in the shared envelope, including coded errors', async () => {
    const ws = await open(bridge.token, ownOrigin());
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'servers.list', input: {} }));
    expect(await nextMessage(ws)).toEqual({ t: 'result', id: 1, ok: true, value: [] });
    ws.send(JSON.stringify({ t: 'call', id: 2, method: 'servers.nope', input: {} }));
    expect(await nextMessage(ws)).toMatchObject({ t: 'result', id: 2, ok: false, error: { code: 'UNKNOWN_METHOD' } });
    ws.close();
  });

  it('pushes engine events to connected clients', async () => {
    const ws = await open(bridge.token, ownOrigin());
    const message = nextMessage(ws);
    bus.emit('servers.changed', { serverId: 's1' });
    expect(await message).toEqual({ t: 'event', topic: 'servers.changed', data: { serverId: 's1' } });
    ws.close();
  });
});
