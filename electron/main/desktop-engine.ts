import { createEngine, type Engine, type EngineOptions } from '../core/engine';
import { berthPaths } from '../core/home';
import { PREVIEW_SWEEP_MS } from '../core/previews/preview-module';
import { AUTO_DEPLOY_TICK_MS } from '../core/watch/auto-deploy-module';
import { HomeStore } from '../core/store/home-store';
import { KeyFileSecrets } from '../core/store/key-file-secrets';
import { resealValues } from '../core/store/reseal';
import { DesktopSecrets, isKeychainSealed, type SafeStorageLike } from './adapters/safe-storage-secrets';

export interface DesktopEngine {
  engine: Engine;
  /** Settles with how many OS-keychain values were moved to the key file (0 once a home has none left). */
  keychainMigrated: Promise<number>;
}

/**
 * The engine as the desktop shell starts it, without Electron itself (safeStorage is injected): secrets sealed with
 * the home's key file, and values an older version sealed with the OS keychain moved to it, so the CLI opens them too.
 */
export function createDesktopEngine(home: string, safeStorage: SafeStorageLike, options: Omit<EngineOptions, 'home' | 'secrets'> = {}): DesktopEngine {
  const keyFile = new KeyFileSecrets(berthPaths(home).secretKey);
  const secrets = new DesktopSecrets(keyFile, safeStorage);
  const engine = createEngine({ previewSweepMs: PREVIEW_SWEEP_MS, autoDeployTickMs: AUTO_DEPLOY_TICK_MS, uptime: {}, ...options, home, secrets });
  const keychainMigrated = resealValues(HomeStore.open(home), isKeychainSealed, secrets, keyFile);
  return { engine, keychainMigrated };
}
