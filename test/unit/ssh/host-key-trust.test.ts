import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostKeyPrompt } from '../../../shared/api/servers';
import { EventBus } from '../../../electron/core/events/event-bus';
import { HostKeyTrust } from '../../../electron/core/ssh/host-key-trust';
import { storeBytes } from '../../support/store-bytes';

const ed25519 = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIBPuoi4FSyuKHwrFYoOnzE9JurCai046RJqxuJNh4TsM', 'base64');
const ed25519Fingerprint = 'SHA256:iVZV+xz7pSSOXBDT0E9eJ6vFp9U7s9OCQrY/baSXefU';
const otherEd25519 = Buffer.concat([ed25519.subarray(0, ed25519.length - 1), Buffer.from([0x0d])]);
const ecdsa = Buffer.from(
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBHHZxb2UW9w9McK2gZfCcLPXnPVpokrQd9rsyRU4Xonmv8l7mBCBWUXavg15HpG1sZmYblVa3u8BknWMRa5Xhqw=',
  'base64',
);

function setup(knownHosts = '', trustedFingerprints: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-trust-'));
  const knownHostsPath = join(dir, 'known_hosts');
  writeFileSync(knownHostsPath, knownHosts);
  const bus = new EventBus();
  const prompts: HostKeyPrompt[] = [];
  bus.on('hostKeys.prompt', (prompt) => prompts.push(prompt));
  const trust = new HostKeyTrust({ bus, home: dir, knownHostsPaths: [knownHostsPath], trustedFingerprints });
  return { trust, prompts, bus, home: dir };
}

describe('host key trust', () => {
  it('accepts a key recorded in known_hosts without asking', async () => {
    const { trust, prompts } = setup(`[10.0.0.5]:2222 ssh-ed25519 ${ed25519.toString('base64')}\n`);
    await expect(trust.verify('10.0.0.5', 2222, ed25519)).resolves.toBeUndefined();
    expect(prompts).toEqual([]);
  });

  it('refuses a changed key of the same type, naming the old and the new fingerprint', async () => {
    const { trust } = setup(`[10.0.0.5]:2222 ssh-ed25519 ${ed25519.toString('base64')}\n`);
    await expect(trust.verify('10.0.0.5', 2222, otherEd25519)).rejects.toMatchObject({
      code: 'HOST_KEY_CHANGED',
      details: { oldFingerprints: [ed25519Fingerprint], newFingerprint: expect.stringMatching(/^SHA256:/) },
      message: expect.stringContaining('ssh-keygen -R "[10.0.0.5]:2222"'),
    });
  });

  it('asks about an unknown host with its SHA256 fingerprint and waits for the answer', async () => {
    const { trust, prompts } = setup();
    const verdict = trust.verify('10.0.0.5', 22, ed25519);
    await Promise.resolve();
    expect(prompts).toEqual([{ promptId: expect.any(String), host: '10.0.0.5', port: 22, keyType: 'ssh-ed25519', fingerprint: ed25519Fingerprint }]);
    expect(trust.pendingPrompts()).toHaveLength(1);
    trust.answer(prompts[0]?.promptId ?? '', true);
    await expect(verdict).resolves.toBeUndefined();
  });

  it('remembers an accepted key so the next connection does not ask again', async () => {
    const { trust, prompts, home } = setup();
    const first = trust.verify('10.0.0.5', 22, ed25519);
    await Promise.resolve();
    trust.answer(prompts[0]?.promptId ?? '', true);
    await first;
    await expect(trust.verify('10.0.0.5', 22, ed25519)).resolves.toBeUndefined();
    expect(prompts).toHaveLength(1);
    expect(storeBytes(home)).toContain(ed25519Fingerprint);
  });

  it('fails with HOST_KEY_REJECTED when the user says no', async () => {
    const { trust, prompts } = setup();
    const verdict = trust.verify('10.0.0.5', 22, ed25519);
    await Promise.resolve();
    trust.answer(prompts[0]?.promptId ?? '', false);
    await expect(verdict).rejects.toMatchObject({ code: 'HOST_KEY_REJECTED' });
  });

  it('asks once for concurrent connections to the same host', async () => {
    const { trust, prompts } = setup();
    const both = Promise.all([trust.verify('10.0.0.5', 22, ed25519), trust.verify('10.0.0.5', 22, ed25519)]);
    await Promise.resolve();
    expect(prompts).toHaveLength(1);
    trust.answer(prompts[0]?.promptId ?? '', true);
    await expect(both).resolves.toHaveLength(2);
  });

  it('withdraws the question when the connection is given up', async () => {
    const { trust, bus } = setup();
    const resolved: boolean[] = [];
    bus.on('hostKeys.resolved', ({ accepted }) => resolved.push(accepted));
    const abort = new AbortController();
    const verdict = trust.verify('10.0.0.5', 22, ed25519, { signal: abort.signal });
    abort.abort();
    await expect(verdict).rejects.toMatchObject({ code: 'HOST_KEY_UNKNOWN' });
    expect(trust.pendingPrompts()).toEqual([]);
    expect(resolved).toEqual([false]);
  });

  it('accepts a pre-trusted fingerprint on first sight without asking', async () => {
    const { trust, prompts } = setup('', [ed25519Fingerprint]);
    await expect(trust.verify('10.0.0.5', 22, ed25519)).resolves.toBeUndefined();
    expect(prompts).toEqual([]);
  });

  it('does not let a pre-trusted fingerprint override a changed key', async () => {
    const { trust } = setup(`10.0.0.5 ssh-ed25519 ${otherEd25519.toString('base64')}\n`, [ed25519Fingerprint]);
    await expect(trust.verify('10.0.0.5', 22, ed25519)).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });
  });

  it('fails at once with HOST_KEY_UNKNOWN when nobody can be asked', async () => {
    const { trust } = setup();
    trust.setInteractive(false);
    await expect(trust.verify('10.0.0.5', 22, ed25519)).rejects.toMatchObject({ code: 'HOST_KEY_UNKNOWN', details: { fingerprint: ed25519Fingerprint } });
  });

  it('asks rather than refuses when only keys of another type are known', async () => {
    const { trust, prompts } = setup(`10.0.0.5 ecdsa-sha2-nistp256 ${ecdsa.toString('base64')}\n`);
    const verdict = trust.verify('10.0.0.5', 22, ed25519);
    await Promise.resolve();
    expect(prompts).toHaveLength(1);
    trust.answer(prompts[0]?.promptId ?? '', false);
    await expect(verdict).rejects.toMatchObject({ code: 'HOST_KEY_REJECTED' });
  });

  it('refuses a key marked @revoked', async () => {
    const { trust } = setup(`@revoked 10.0.0.5 ssh-ed25519 ${ed25519.toString('base64')}\n`);
    await expect(trust.verify('10.0.0.5', 22, ed25519)).rejects.toMatchObject({ code: 'HOST_KEY_REJECTED' });
  });

  it('forgets what Berth recorded for a host so a new key can be accepted', async () => {
    const { trust, prompts } = setup();
    const first = trust.verify('10.0.0.5', 22, ed25519);
    await Promise.resolve();
    trust.answer(prompts[0]?.promptId ?? '', true);
    await first;
    expect(trust.forget('10.0.0.5', 22)).toBe(1);
    const second = trust.verify('10.0.0.5', 22, otherEd25519);
    await Promise.resolve();
    expect(prompts).toHaveLength(2);
    trust.answer(prompts[1]?.promptId ?? '', true);
    await expect(second).resolves.toBeUndefined();
  });
});
