import type { z } from 'zod';
import { rollbackDefaults, type RollbackSettings, type RollbackSettingsPatch } from '../../../shared/api/rollback';
import type { BerthPaths } from '../home';
import type { RegistryAccess } from '../registry/registry-ref';
import { HomeStore } from '../store/home-store';
import type { StoreDocument } from '../store/store-document';
import type { SecretStore } from '../store/secret-store';

type ParsedPatch = z.output<typeof RollbackSettingsPatch>;

export interface StoredRegistry {
  url: string;
  username: string | null;
  /** Sealed by the SecretStore; never written in the clear. */
  password: string | null;
}

export type StoredRollbackSettings = Omit<RollbackSettings, 'registry'> & { registry: StoredRegistry | null };

interface SettingsFile {
  apps: Record<string, Partial<StoredRollbackSettings>>;
}

/** Per-app rollback settings of one server, in the home's database, with the registry password sealed. */
export class RollbackSettingsStore {
  constructor(
    private readonly paths: BerthPaths,
    private readonly secrets: SecretStore,
  ) {}

  private file(serverId: string): StoreDocument<SettingsFile> {
    return HomeStore.open(this.paths.home).document<SettingsFile>(`rollback/${serverId}`, () => ({ apps: {} }));
  }

  get(serverId: string, app: string): StoredRollbackSettings {
    const stored = this.file(serverId).read().apps[app] ?? {};
    return { ...rollbackDefaults, registry: null, ...stored };
  }

  view(serverId: string, app: string): RollbackSettings {
    const { registry, ...rest } = this.get(serverId, app);
    return { ...rest, registry: registry ? { url: registry.url, username: registry.username, passwordSet: registry.password !== null } : null };
  }

  /**
   * Sealing a new password is the only slow part and runs first; the patch is then applied inside the write
   * transaction to what is stored at that moment, so two processes changing one app's settings keep both changes.
   */
  async update(serverId: string, app: string, patch: ParsedPatch): Promise<RollbackSettings> {
    const { registry: registryPatch, ...rest } = patch;
    const sealed = registryPatch?.password ? await this.secrets.seal(registryPatch.password) : null;
    this.file(serverId).update((f) => {
      const current: StoredRollbackSettings = { ...rollbackDefaults, registry: null, ...(f.apps[app] ?? {}) };
      const next: StoredRollbackSettings = { ...current, ...stripUndefined(rest), registry: mergeRegistry(current.registry, registryPatch, sealed) };
      return { apps: { ...f.apps, [app]: next } };
    });
    return this.view(serverId, app);
  }

  /** The registry with its password opened, for the one push or pull about to run. */
  async registryAccess(serverId: string, app: string): Promise<RegistryAccess | null> {
    const registry = this.get(serverId, app).registry;
    if (!registry) return null;
    return { url: registry.url, username: registry.username, password: registry.password ? await this.secrets.open(registry.password) : null };
  }
}

/**
 * The registry after a patch: null removes it; the same URL keeps the stored user and password unless new ones are
 * given (an empty password clears it); another URL starts without them.
 */
export function mergeRegistry(current: StoredRegistry | null, patch: ParsedPatch['registry'], sealedPassword: string | null): StoredRegistry | null {
  if (patch === null) return null;
  if (patch === undefined) return current;
  const same = current?.url === patch.url;
  const password = patch.password !== undefined ? (patch.password === '' ? null : sealedPassword) : same ? (current?.password ?? null) : null;
  return { url: patch.url, username: patch.username ?? (same ? (current?.username ?? null) : null), password };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
