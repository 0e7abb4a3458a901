import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BerthError } from '../../../shared/errors';
import type { SecretStore } from './secret-store';

const PREFIX = 'v1:';

/**
 * AES-256-GCM with a random key kept in a 0600 file in Berth's home: what the CLI and the browser bridge use, where
 * no OS keychain is reachable from plain Node. Secrets are still never written in plain text beside the records.
 */
export class KeyFileSecrets implements SecretStore {
  private key: Buffer | undefined;

  constructor(private readonly keyPath: string) {}

  async seal(plain: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.loadKey(), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  async open(sealed: string): Promise<string> {
    if (!sealed.startsWith(PREFIX)) throw new BerthError('STORE_CORRUPT', 'A stored secret has an unknown format.');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.loadKey(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new BerthError('STORE_CORRUPT', `A stored secret cannot be decrypted with ${this.keyPath}. Was the key file replaced?`);
    }
  }

  private loadKey(): Buffer {
    if (this.key) return this.key;
    if (existsSync(this.keyPath)) {
      this.key = Buffer.from(readFileSync(this.keyPath, 'utf8').trim(), 'base64');
    } else {
      mkdirSync(dirname(this.keyPath), { recursive: true, mode: 0o700 });
      this.key = randomBytes(32);
      writeFileSync(this.keyPath, this.key.toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    return this.key;
  }
}
