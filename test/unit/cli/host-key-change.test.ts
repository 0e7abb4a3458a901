import { describe, expect, it } from 'vitest';
import { decideTrust, presentedKeyOf, type PresentedKey } from '../../../electron/cli/host-key-change';
import { BerthError } from '../../../shared/errors';

const OLD = 'SHA256:oldoldoldoldoldoldoldoldoldoldoldoldoldoldo';
const NEW = 'SHA256:newnewnewnewnewnewnewnewnewnewnewnewnewnewn';

const changed = (extra: Partial<PresentedKey> = {}): PresentedKey => ({
  host: '203.0.113.7', port: 2222, keyType: 'ssh-ed25519', oldFingerprints: [OLD], newFingerprint: NEW, knownHostsFiles: [], ...extra,
});

describe('reading the key a refused connection was offered', () => {
  it('takes both fingerprints from a changed-key error', () => {
    const error = new BerthError('HOST_KEY_CHANGED', 'changed', {
      host: 'h', port: 22, keyType: 'ssh-ed25519', oldFingerprints: [OLD], newFingerprint: NEW, sources: ['/home/u/.ssh/known_hosts'], knownHostsFiles: ['/home/u/.ssh/known_hosts'],
    });
    expect(presentedKeyOf(error)).toEqual({ host: 'h', port: 22, keyType: 'ssh-ed25519', oldFingerprints: [OLD], newFingerprint: NEW, knownHostsFiles: ['/home/u/.ssh/known_hosts'] });
  });

  it('reads an unknown host as a key with no earlier one', () => {
    const error = new BerthError('HOST_KEY_UNKNOWN', 'unknown', { host: 'h', port: 22, keyType: 'ssh-ed25519', fingerprint: NEW });
    expect(presentedKeyOf(error)).toMatchObject({ oldFingerprints: [], newFingerprint: NEW });
  });

  it('ignores any other failure', () => {
    expect(presentedKeyOf(new BerthError('CONNECTION_REFUSED', 'refused', { host: 'h', port: 22 }))).toBeUndefined();
    expect(presentedKeyOf(new Error('boom'))).toBeUndefined();
  });
});

describe('deciding whether to trust a changed host key', () => {
  it('asks on a terminal, naming the old and the new fingerprint', () => {
    const step = decideTrust('prod', changed(), { yes: false, interactive: true });
    expect(step).toEqual({ kind: 'ask', question: expect.stringContaining(OLD) });
    expect(step.kind === 'ask' && step.question).toContain(NEW);
  });

  it('refuses without a terminal, naming both fingerprints and the command to run', () => {
    const step = decideTrust('prod', changed(), { yes: false, interactive: false });
    expect(step.kind).toBe('refuse');
    const error = step.kind === 'refuse' ? step.error : undefined;
    expect(error?.code).toBe('HOST_KEY_CHANGED');
    expect(error?.message).toContain(OLD);
    expect(error?.message).toContain(`berth server trust prod --fingerprint ${NEW}`);
  });

  it('trusts with --yes', () => {
    expect(decideTrust('prod', changed(), { yes: true, interactive: false })).toEqual({ kind: 'trust' });
  });

  it('trusts with --fingerprint when it is the key presented, with or without its SHA256: prefix', () => {
    expect(decideTrust('prod', changed(), { yes: false, expected: NEW.slice('SHA256:'.length), interactive: false })).toEqual({ kind: 'trust' });
  });

  it('refuses when --fingerprint names another key, even with --yes', () => {
    const step = decideTrust('prod', changed(), { yes: true, expected: OLD, interactive: true });
    expect(step.kind === 'refuse' && step.error.message).toContain(`presents ${NEW}, not ${OLD}`);
  });

  it('refuses when the old key is in a known_hosts file, which Berth never edits', () => {
    const step = decideTrust('prod', changed({ knownHostsFiles: ['/home/u/.ssh/known_hosts'] }), { yes: true, interactive: true });
    expect(step.kind === 'refuse' && step.error.message).toContain('ssh-keygen -R "[203.0.113.7]:2222"');
  });

  it('calls a host seen for the first time unknown, not changed', () => {
    const step = decideTrust('prod', changed({ oldFingerprints: [] }), { yes: false, interactive: false });
    expect(step.kind === 'refuse' && step.error.code).toBe('HOST_KEY_UNKNOWN');
  });
});
