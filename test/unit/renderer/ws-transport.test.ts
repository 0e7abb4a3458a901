import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { wsTransport } from '../../../renderer/src/bridge/ws-transport';

// A stand-in for the browser's WebSocket: each test decides whether a socket opens or is refused.
class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen?: () => void;
  onclose?: () => void;
  onmessage?: (event: { data: string }) => void;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string): void {
    this.sent.push(text);
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.();
  }
}

let verdict: unknown;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  FakeSocket.all = [];
  verdict = { access: 'granted' };
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('fetch', async () => ({ ok: true, json: async () => verdict }));
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the browser bridge transport', () => {
  it('says the page was refused, with the bridge’s reason, instead of a lost connection', async () => {
    verdict = { access: 'refused', reason: 'wrong-token', message: 'This address is from an earlier run of Berth: open the address printed by `npm run web`.' };
    const transport = wsTransport('ws://127.0.0.1:1/rpc?token=old', '/access?token=old');
    const events: Array<[string, unknown]> = [];
    transport.listen((topic, data) => events.push([topic, data]));
    const outcome = transport.call('servers.list', {});
    FakeSocket.all[0]!.drop();
    expect(await outcome).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('earlier run') } });
    expect(events).toEqual([['bridge.refused', verdict]]);
    expect(await transport.call('servers.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await flush();
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('keeps retrying while the bridge is only away, then sends what was queued once', async () => {
    vi.useFakeTimers();
    const transport = wsTransport('ws://127.0.0.1:1/rpc?token=t', '/access?token=t');
    FakeSocket.all[0]!.drop();
    await vi.advanceTimersByTimeAsync(300);
    expect(FakeSocket.all).toHaveLength(2);
    const outcome = transport.call('servers.list', {});
    FakeSocket.all[1]!.open();
    const socket = FakeSocket.all[1]!;
    expect(socket.sent).toHaveLength(1);
    socket.onmessage?.({ data: JSON.stringify({ t: 'result', id: 1, ok: true, value: [] }) });
    expect(await outcome).toEqual({ ok: true, value: [] });
  });

  it('never sends later a call it already answered with a lost connection', async () => {
    vi.useFakeTimers();
    const transport = wsTransport('ws://127.0.0.1:1/rpc?token=t', '/access?token=t');
    const outcome = transport.call('servers.list', {});
    FakeSocket.all[0]!.drop();
    expect(await outcome).toMatchObject({ ok: false, error: { code: 'SSH_DISCONNECTED' } });
    await vi.advanceTimersByTimeAsync(300);
    FakeSocket.all[1]!.open();
    expect(FakeSocket.all[1]!.sent).toEqual([]);
  });
});
