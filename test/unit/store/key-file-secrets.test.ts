import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyFileSecrets } from '../../../electron/core/store/key-file-secrets';

function setup() {
  const home = mkdtempSync(join(tmpdir(), 'berth-key-'));
  const keyPath = join(home, 'secret.key');
  return { home, keyPath, secrets: () => new KeyFileSecrets(keyPath) };
}

describe('the key file', () => {
  it('opens what another process sealed with the same home', async () => {
    const { secrets } = setup();
    const sealed = await secrets().seal('hunter22');
    expect(sealed).not.toContain('hunter22');
    await expect(secrets().open(sealed)).resolves.toBe('hunter22');
  });

  it('refuses a key file that was cut short, naming it', async () => {
    const { keyPath, secrets } = setup();
    const sealed = await secrets().seal('x');
    writeFileSync(keyPath, 'c2hvcnQ=');
    await expect(secrets().open(sealed)).rejects.toMatchObject({ code: 'SECRET_KEY_INVALID', message: expect.stringContaining(keyPath) });
  });

  it('does not make a new key when the old one is gone and values sealed with it exist', async () => {
    const { keyPath, secrets } = setup();
    await secrets().seal('x');
    rmSync(keyPath);
    await expect(secrets().seal('y')).rejects.toMatchObject({ code: 'SECRET_KEY_MISSING', message: expect.stringContaining('Restore') });
  });

  it('refuses a key file replaced by another key', async () => {
    const { keyPath, secrets } = setup();
    await secrets().seal('x');
    writeFileSync(keyPath, Buffer.alloc(32, 7).toString('base64'));
    await expect(secrets().seal('y')).rejects.toMatchObject({ code: 'SECRET_KEY_INVALID' });
  });

  it('names the desktop app as the fix for a value sealed with the OS keychain', async () => {
    const { secrets } = setup();
    await expect(secrets().open('ss1:AAAA')).rejects.toThrow(/Start the desktop app once/);
  });
});
