import { describe, expect, it } from 'vitest';
import { checkAccess, loopbackOrigin } from '../../../electron/web/access-check';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz012345';

describe('a loopback Host', () => {
  it.each([
    ['127.0.0.1:41234', 'http://127.0.0.1:41234'],
    ['localhost:8080', 'http://localhost:8080'],
    ['LOCALHOST:8080', 'http://localhost:8080'],
    ['[::1]:9000', 'http://[::1]:9000'],
    ['127.0.0.2:80', undefined],
    ['127.0.0.2:81', 'http://127.0.0.2:81'],
  ])('%s stands for %s', (host, origin) => {
    // 127.0.0.2:80 is written without its default port by URL parsing, so it is not canonical and is refused.
    expect(loopbackOrigin(host)).toBe(origin);
  });

  it.each(['evil.example:41234', '127.0.0.1.evil.example', 'localhost.:8080', '127.1:8080', 'user@localhost:8080', 'localhost:8080/x', '', 'localhost:notaport', '10.0.0.5:8080', '0.0.0.0:8080'])(
    'refuses %j',
    (host) => {
      expect(loopbackOrigin(host)).toBeUndefined();
    },
  );

  it('refuses a request with no Host at all', () => {
    expect(loopbackOrigin(undefined)).toBeUndefined();
  });
});

describe('the access check', () => {
  it('grants the page its own address with the token', () => {
    expect(checkAccess({ host: '127.0.0.1:41234', origin: 'http://127.0.0.1:41234', token: TOKEN }, TOKEN)).toEqual({ access: 'granted' });
  });

  it('grants a port forwarded with ssh -L, whatever its number', () => {
    expect(checkAccess({ host: 'localhost:8080', origin: 'http://localhost:8080', token: TOKEN }, TOKEN)).toEqual({ access: 'granted' });
  });

  it('explains a token from an earlier run', () => {
    const verdict = checkAccess({ host: '127.0.0.1:41234', origin: 'http://127.0.0.1:41234', token: 'an-older-token' }, TOKEN);
    expect(verdict).toMatchObject({ access: 'refused', reason: 'wrong-token' });
    expect(verdict.access === 'refused' && verdict.message).toContain('from an earlier run');
    expect(verdict.access === 'refused' && verdict.message).toContain('npm run web');
  });

  it('refuses a token of the right length that differs', () => {
    expect(checkAccess({ host: 'localhost:1', token: TOKEN.replace('a', 'b') }, TOKEN)).toMatchObject({ reason: 'wrong-token' });
  });

  it('asks for the full address when the token is missing', () => {
    expect(checkAccess({ host: 'localhost:1', token: null }, TOKEN)).toMatchObject({ access: 'refused', reason: 'no-token' });
    expect(checkAccess({ host: 'localhost:1', token: '' }, TOKEN)).toMatchObject({ reason: 'no-token' });
  });

  it('refuses a socket from another origin even with the token', () => {
    const verdict = checkAccess({ host: '127.0.0.1:41234', origin: 'http://evil.example', token: TOKEN }, TOKEN);
    expect(verdict).toMatchObject({ access: 'refused', reason: 'foreign-origin' });
  });

  it('refuses a socket from another local port: another local page is another origin', () => {
    expect(checkAccess({ host: 'localhost:8080', origin: 'http://localhost:3000', token: TOKEN }, TOKEN)).toMatchObject({ reason: 'foreign-origin' });
  });

  it('refuses a socket that names no origin', () => {
    expect(checkAccess({ host: 'localhost:8080', origin: '', token: TOKEN }, TOKEN)).toMatchObject({ reason: 'foreign-origin' });
  });

  it('refuses a DNS-rebinding page, whose Host is its own name, and says how to reach Berth instead', () => {
    const verdict = checkAccess({ host: 'rebind.evil.example:41234', origin: 'http://rebind.evil.example:41234', token: TOKEN }, TOKEN);
    expect(verdict).toMatchObject({ access: 'refused', reason: 'foreign-host' });
    expect(verdict.access === 'refused' && verdict.message).toContain('ssh -L');
  });

  it('quotes a long Host back cut short', () => {
    const verdict = checkAccess({ host: 'x'.repeat(5000), token: TOKEN }, TOKEN);
    expect(verdict.access === 'refused' && verdict.message.length).toBeLessThan(500);
  });
});
