import { safeStorage } from 'electron';
import type { SecretStore } from '../../core/store/secret-store';

const PREFIX = 'ss1:';

/**
 * Seals secrets with the OS keychain through safeStorage's async API. Values sealed by the CLI (key-file format)
 * still open, through the fallback store, so records written from a terminal stay usable in the window.
 * On Linux without a keyring safeStorage falls back to a fixed password ("basic_text"): then the key file is used,
 * since that is no weaker and the CLI can read it too.
 */
export class SafeStorageSecrets implements SecretStore {
  private usable: Promise<boolean> | undefined;

  constructor(private readonly fallback: SecretStore) {}

  async seal(plain: string): Promise<string> {
    if (!(await this.keychainUsable())) return this.fallback.seal(plain);
    const sealed = await safeStorage.encryptStringAsync(plain);
    return PREFIX + sealed.toString('base64');
  }

  async open(sealed: string): Promise<string> {
    if (!sealed.startsWith(PREFIX)) return this.fallback.open(sealed);
    const { result } = await safeStorage.decryptStringAsync(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
    return result;
  }

  private keychainUsable(): Promise<boolean> {
    this.usable ??= safeStorage
      .isAsyncEncryptionAvailable()
      .then((available) => available && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'));
    return this.usable;
  }
}
