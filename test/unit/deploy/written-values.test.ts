import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { containerSpec } from '../../../electron/core/deploy/container-spec';
import { probeOnce } from '../../../electron/core/deploy/health-probe';
import { lockPaths, privateDirScript, takeScript } from '../../../electron/core/locks/lock-script';
import { shellQuote } from '../../../electron/core/ssh/remote-exec';
import type { ServerLink } from '../../../electron/core/ssh/server-link';
import { runtimeSnapshot } from './fixtures';

const id = { app: 'web', deploymentId: 'web-7-abcdef', seq: 7, commit: null, owner: 'ada@laptop' };

describe('values where Berth writes them', () => {
  it.each([
    ['newline', '/health\r\nX-Injected: 1'],
    ['a space', '/health HTTP/1.1'],
    ['a NUL', '/health\0'],
    ['a quote', "/health'"],
    ['a "#"', '/health#x'],
  ])('a health probe sends no request line whose path holds %s', async (_what, path) => {
    let opened = false;
    const link = { serverId: 's1', remote: true, docker: {}, exec: () => Promise.reject(new Error('no exec')), forwardOut: async () => {
      opened = true;
      return new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
    } } as unknown as ServerLink;
    const result = await probeOnce(link, { containerId: 'c', name: 'web-1-0', address: '10.0.0.2', port: 8080 }, { kind: 'http', path, intervalMs: 500, timeoutMs: 100, retries: 3, startPeriodMs: 0 });
    expect(result.ok).toBe(false);
    expect(result.detail).toContain('not sent: the health path');
    expect(opened).toBe(false);
  });

  it("keeps an app's labels from standing in for Berth's own", () => {
    const config = runtimeSnapshot({ labels: { team: 'a', 'berth.domains': 'evil.example.com', 'Berth.Slot': 'z' } });
    const labels = containerSpec(id, config, { image: 'web:7', slot: 'a', replica: 0 }, []).Labels ?? {};
    expect(labels.team).toBe('a');
    expect(labels['berth.domains']).toBe('');
    expect(labels['Berth.Slot']).toBeUndefined();
  });

  it.each([['a newline', 'a\nb'], ['a carriage return', 'a\rb'], ['a NUL byte', 'a\0b']])('a shell word with %s is refused, not quoted', (what, word) => {
    expect(() => shellQuote(word)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(`contains ${what}`) }));
  });

  it.each([["quotes", `it's "x"`, `'it'\\''s "x"'`], ['a "#"', 'a#b', `'a#b'`], ['spaces', 'a b', `'a b'`]])('a shell word with %s is quoted', (_what, word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it("keeps the deploy and proxy locks in a folder only the SSH user can enter, not in /tmp", () => {
    const paths = lockPaths('6QR6:7OZT', 'web');
    expect(paths.file).toBe('$HOME/.berth/locks/6QR6-7OZT/web.lock');
    expect(privateDirScript(paths.dir)).toBe('umask 077; mkdir -p "$HOME/.berth/locks/6QR6-7OZT" && chmod 700 "$HOME/.berth" "$HOME/.berth/locks" "$HOME/.berth/locks/6QR6-7OZT"');
    const script = takeScript(paths, { token: 't', owner: 'ada', host: 'laptop', pid: 1, operation: 'deploy' }, 60, false);
    expect(script).toContain(privateDirScript(paths.dir));
    expect(script).not.toContain('/tmp');
  });
});
