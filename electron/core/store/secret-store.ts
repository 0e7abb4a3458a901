/**
 * Turns secret values (env values marked secret, key passphrases, registry passwords) into opaque strings that may be
 * stored on disk, and back. The Electron shell implements it with safeStorage; plain Node with a key file.
 */
export interface SecretStore {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}
