import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { authHandlerFor, loadPrivateKey, prepareAuth } from '../../../electron/core/ssh/auth';

let dir: string;
let plainKey: string;
let lockedKey: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-auth-'));
  plainKey = join(dir, 'plain');
  lockedKey = join(dir, 'locked');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', plainKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse', '-f', lockedKey]);
});

describe('private keys and auth methods', () => {
  it('loads an unencrypted OpenSSH key', () => {
    expect(loadPrivateKey(plainKey).type).toBe('ssh-ed25519');
  });

  it('opens an encrypted key with its passphrase', () => {
    expect(loadPrivateKey(lockedKey, 'correct horse').type).toBe('ssh-ed25519');
  });

  it('asks for the passphrase of an encrypted key', () => {
    expect(() => loadPrivateKey(lockedKey)).toThrow(expect.objectContaining({ code: 'PASSPHRASE_REQUIRED', details: { keyPath: lockedKey } }));
  });

  it('says when the passphrase is wrong', () => {
    expect(() => loadPrivateKey(lockedKey, 'wrong')).toThrow(expect.objectContaining({ code: 'PASSPHRASE_REQUIRED', details: expect.objectContaining({ wrongPassphrase: true }) }));
  });

  it('reports a missing key file as unreadable, with its path', () => {
    expect(() => loadPrivateKey(join(dir, 'absent'))).toThrow(expect.objectContaining({ code: 'KEY_UNREADABLE', message: expect.stringContaining('ENOENT') }));
  });

  it('reports a file that is not a key as unreadable', () => {
    writeFileSync(join(dir, 'notes.txt'), 'not a key');
    expect(() => loadPrivateKey(join(dir, 'notes.txt'))).toThrow(expect.objectContaining({ code: 'KEY_UNREADABLE' }));
  });

  it('skips optional keys that are missing and offers the rest in order', () => {
    const prepared = prepareAuth('deploy', [
      { kind: 'agent', socket: '/run/agent.sock', required: false },
      { kind: 'key', path: join(dir, 'absent'), required: false },
      { kind: 'key', path: plainKey, required: false },
    ]);
    expect(prepared.labels).toEqual(['ssh-agent', `key ${plainKey}`]);
  });

  it('asks for a passphrase when a locked key is the only way in', () => {
    expect(() => prepareAuth('deploy', [{ kind: 'key', path: lockedKey, required: false }])).toThrow(expect.objectContaining({ code: 'PASSPHRASE_REQUIRED' }));
  });

  it('refuses agent authentication without an agent socket', () => {
    expect(() => prepareAuth('deploy', [{ kind: 'agent', socket: undefined, required: true }])).toThrow(
      expect.objectContaining({ code: 'AUTH_FAILED', message: expect.stringContaining('SSH_AUTH_SOCK') }),
    );
  });

  it('records each method as it is offered and stops when none are left', () => {
    const prepared = prepareAuth('deploy', [{ kind: 'key', path: plainKey, required: true }]);
    const tried: string[] = [];
    const offered: unknown[] = [];
    const handler = authHandlerFor(prepared, tried);
    handler([], false, (method) => offered.push(method));
    handler([], false, (method) => offered.push(method));
    expect(tried).toEqual([`key ${plainKey}`]);
    expect(offered[1]).toBe(false);
  });
});
