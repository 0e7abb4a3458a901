import { describe, expect, it } from 'vitest';
import { BerthError } from '../../../shared/errors';
import { channelOpenError, connectError, dockerCallError, isRetryable } from '../../../electron/core/ssh/errors';

const context = { host: 'web.example.com', port: 22, user: 'deploy' };
const raw = (fields: Record<string, unknown>): Error => Object.assign(new Error(String(fields.message ?? 'boom')), fields);

describe('connection error mapping', () => {
  it.each([
    ['ENOTFOUND', 'DNS_FAILED'],
    ['EAI_AGAIN', 'DNS_FAILED'],
    ['ECONNREFUSED', 'CONNECTION_REFUSED'],
    ['ETIMEDOUT', 'CONNECT_TIMEOUT'],
    ['EHOSTUNREACH', 'CONNECT_TIMEOUT'],
    ['ECONNRESET', 'SSH_DISCONNECTED'],
  ])('maps %s to %s', (code, expected) => {
    expect(connectError(raw({ code }), context).code).toBe(expected);
  });

  it('names the methods that were tried when authentication fails', () => {
    const error = connectError(raw({ level: 'client-authentication' }), { ...context, tried: ['ssh-agent', 'key /k/id_ed25519'] });
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('Tried: ssh-agent, key /k/id_ed25519');
  });

  it('says so when no authentication method was available at all', () => {
    expect(connectError(raw({ level: 'client-authentication' }), context).message).toContain('no method');
  });

  it('treats an ssh2 handshake timeout as a connect timeout', () => {
    expect(connectError(raw({ level: 'client-timeout' }), context).code).toBe('CONNECT_TIMEOUT');
  });

  it('prefixes failures of a jump host with where it was going', () => {
    const error = connectError(raw({ code: 'ECONNREFUSED' }), { ...context, via: 'db:22' });
    expect(error.message).toMatch(/^Jump host web\.example\.com:22 \(on the way to db:22\)/);
  });

  it('passes coded errors through unchanged', () => {
    const coded = new BerthError('HOST_KEY_CHANGED', 'changed');
    expect(connectError(coded, context)).toBe(coded);
  });

  it('retries network failures but never credentials or host keys', () => {
    expect(isRetryable(new BerthError('CONNECTION_REFUSED', ''))).toBe(true);
    expect(isRetryable(new BerthError('SSH_DISCONNECTED', ''))).toBe(true);
    expect(isRetryable(new BerthError('AUTH_FAILED', ''))).toBe(false);
    expect(isRetryable(new BerthError('HOST_KEY_CHANGED', ''))).toBe(false);
    expect(isRetryable(new BerthError('PASSPHRASE_REQUIRED', ''))).toBe(false);
  });

  it('reads a refused channel of kind "administratively prohibited" as forwarding being disabled', () => {
    expect(channelOpenError(raw({ reason: 1, message: '(SSH) Channel open failure: open failed' }), 'x', 's').code).toBe('FORWARDING_REFUSED');
    expect(channelOpenError(raw({ reason: 2, message: '(SSH) Channel open failure: Connection refused' }), 'x', 's').code).toBe('CONNECTION_REFUSED');
  });

  it('maps a local Docker socket error to the matching Docker code', () => {
    expect(dockerCallError(raw({ code: 'ENOENT' }), '/var/run/docker.sock', 'here', 'me').code).toBe('DOCKER_SOCKET_MISSING');
    expect(dockerCallError(raw({ code: 'EACCES' }), '/var/run/docker.sock', 'here', 'me').message).toContain('docker group');
    expect(dockerCallError(raw({ code: 'ECONNREFUSED' }), '/var/run/docker.sock', 'here', 'me').code).toBe('DOCKER_DAEMON_DOWN');
    expect(dockerCallError(raw({ statusCode: 500, message: 'server error' }), '/s', 'here', 'me').code).toBe('DOCKER_ERROR');
  });
});
