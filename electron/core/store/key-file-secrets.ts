import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { BerthError } from '../../../shared/errors';
import { HomeStore } from './home-store';
import type { SecretStore } from './secret-store';

const PREFIX = 'v1:';
/** What the desktop app sealed with the OS keychain before every process shared the key file. */
const KEYCHAIN_PREFIX = 'ss1:';
const KEY_BYTES = 32;
/** The home remembers which key sealed its values, so a lost or swapped key file is named, never silently replaced. */
const KEY_FINGERPRINT = 'secret-key-fingerprint';

/**
 * AES-256-GCM with a random key kept in a 0600 file in Berth's home, the one scheme every Berth process on this
 * account can open (desktop app, browser bridge, CLI). The key is created exactly once: written to a private
 * temporary file, then linked into place, which fails if another process got there first (whose key is then used).
 */
export class KeyFileSecrets implements SecretStore {
  private key: Buffer | undefined;

  constructor(private readonly keyPath: string) {}

  async seal(plain: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.loadKey({ create: true }), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  async open(sealed: string): Promise<string> {
    if (sealed.startsWith(KEYCHAIN_PREFIX)) {
      throw new BerthError('STORE_CORRUPT', 'A stored secret was sealed with the OS keychain by an older desktop app. Start the desktop app once: it moves such secrets to the key file every Berth process can read.');
    }
    if (!sealed.startsWith(PREFIX)) throw new BerthError('STORE_CORRUPT', 'A stored secret has an unknown format.');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.loadKey({ create: false }), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new BerthError('STORE_CORRUPT', `A stored secret cannot be decrypted with ${this.keyPath}. Was the key file replaced?`);
    }
  }

  private loadKey({ create }: { create: boolean }): Buffer {
    if (this.key) return this.key;
    const store = HomeStore.open(dirname(this.keyPath));
    const expected = store.meta(KEY_FINGERPRINT);
    let key = readKey(this.keyPath);
    if (!key) {
      if (expected || !create) {
        throw new BerthError(
          'SECRET_KEY_MISSING',
          `${this.keyPath} is missing, but secrets sealed with it are stored. Restore that file from a backup of ${dirname(this.keyPath)}; ` +
            'Berth does not make a new key while values sealed with the old one exist, as they could never be opened again.',
          { path: this.keyPath },
        );
      }
      key = createKeyOnce(this.keyPath);
    }
    const fingerprint = fingerprintOf(key);
    if (expected && expected !== fingerprint) {
      throw new BerthError(
        'SECRET_KEY_INVALID',
        `${this.keyPath} is not the key the stored secrets were sealed with (expected ${expected}, found ${fingerprint}). Put the original file back.`,
        { path: this.keyPath },
      );
    }
    if (!expected) store.setMeta(KEY_FINGERPRINT, fingerprint);
    this.key = key;
    return key;
  }
}

/** The key in the file, undefined when there is no file; a file that holds no 32-byte key is refused by name. */
function readKey(path: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new BerthError(
      'SECRET_KEY_INVALID',
      `${path} holds ${key.length} bytes instead of a ${KEY_BYTES}-byte key: it was cut short or edited. Restore it from a backup; the stored secrets cannot be opened without it.`,
      { path },
    );
  }
  return key;
}

function createKeyOnce(path: string): Buffer {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, key.toString('base64'));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = readKey(path);
    if (!theirs) throw error;
    return theirs;
  } finally {
    rmSync(tmp, { force: true });
  }
}

export function fingerprintOf(key: Buffer): string {
  return `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}
