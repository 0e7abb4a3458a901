import { describe, expect, it } from 'vitest';
import { Dispatcher, type CallContext, type Handlers } from '../../../electron/core/rpc/dispatcher';
import { BerthError } from '../../../shared/errors';

const ctx: CallContext = { clientId: 'test', signal: new AbortController().signal, emit: () => undefined };

function dispatcherWith(handlers: Partial<Handlers>): Dispatcher {
  return new Dispatcher(handlers as Handlers);
}

const probeResult = { dockerVersion: '20.10.24', apiVersion: '1.41', daemonId: 'X', os: 'Debian', arch: 'x86_64', hostKeyFingerprint: 'SHA256:abc', elapsedMs: 3 };

describe('the dispatcher', () => {
  it('refuses a method the contract does not name', async () => {
    const outcome = await dispatcherWith({}).call('servers.explode', {}, ctx);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('rejects bad input with INVALID_INPUT naming the field, before any handler runs', async () => {
    let ran = false;
    const dispatcher = dispatcherWith({ 'servers.probe': async () => ((ran = true), probeResult) });
    const outcome = await dispatcher.call('servers.probe', { host: 'example.com', port: 70000, keyPath: '/k' }, ctx);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(outcome.ok ? '' : outcome.error.message).toContain('port');
    expect(ran).toBe(false);
  });

  it('hands the handler the parsed input with the contract defaults filled in', async () => {
    let seen: unknown;
    const dispatcher = dispatcherWith({ 'servers.probe': async (input) => ((seen = input), probeResult) });
    await dispatcher.call('servers.probe', { host: 'example.com', keyPath: '/k' }, ctx);
    expect(seen).toEqual({ host: 'example.com', port: 22, user: 'root', keyPath: '/k', dockerSocket: '/var/run/docker.sock' });
  });

  it('returns a coded error thrown by a handler as it was thrown', async () => {
    const dispatcher = dispatcherWith({
      'servers.probe': async () => {
        throw new BerthError('AUTH_FAILED', 'The server refused the key.');
      },
    });
    const outcome = await dispatcher.call('servers.probe', { host: 'h', keyPath: '/k' }, ctx);
    expect(outcome).toEqual({ ok: false, error: { code: 'AUTH_FAILED', message: 'The server refused the key.' } });
  });

  it('turns an unexpected exception into INTERNAL keeping only its message', async () => {
    const dispatcher = dispatcherWith({
      'servers.probe': async () => {
        throw new TypeError('boom');
      },
    });
    const outcome = await dispatcher.call('servers.probe', { host: 'h', keyPath: '/k' }, ctx);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('boom') } });
  });

  it('rejects a handler result that does not match the output schema', async () => {
    const dispatcher = dispatcherWith({ 'servers.probe': async () => ({ nonsense: true }) as never });
    const outcome = await dispatcher.call('servers.probe', { host: 'h', keyPath: '/k' }, ctx);
    expect(outcome.ok).toBe(false);
  });
});
