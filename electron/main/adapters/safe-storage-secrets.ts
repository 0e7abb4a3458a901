import type { SecretStore } from '../../core/store/secret-store';

const KEYCHAIN_PREFIX = 'ss1:';

/** The part of Electron's safeStorage this adapter uses, injected so it runs (and is tested) without Electron. */
export interface SafeStorageLike {
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt?: boolean }>;
}

/**
 * The desktop app's secrets: sealed with the home's key file, like the CLI and the browser bridge, so a value set in
 * the window opens in a terminal on the same account. Values an older desktop app sealed with the OS keychain still
 * open, through safeStorage, until `resealKeychainValues` has moved them to the key file.
 */
export class DesktopSecrets implements SecretStore {
  constructor(
    private readonly keyFile: SecretStore,
    private readonly safeStorage: SafeStorageLike,
  ) {}

  seal(plain: string): Promise<string> {
    return this.keyFile.seal(plain);
  }

  async open(sealed: string): Promise<string> {
    if (!isKeychainSealed(sealed)) return this.keyFile.open(sealed);
    const { result } = await this.safeStorage.decryptStringAsync(Buffer.from(sealed.slice(KEYCHAIN_PREFIX.length), 'base64'));
    return result;
  }
}

export function isKeychainSealed(sealed: string): boolean {
  return sealed.startsWith(KEYCHAIN_PREFIX);
}
