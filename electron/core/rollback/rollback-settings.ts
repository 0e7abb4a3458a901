import type { z } from 'zod';
import { rollbackDefaults, type RollbackSettings, type RollbackSettingsPatch } from '../../../shared/api/rollback';
import type { BerthPaths } from '../home';
import type { RegistryAccess } from '../registry/registry-ref';
import { HomeStore } from '../store/home-store';
import type { StoreDocument } from '../store/store-document';
import type { SecretStore } from '../store/secret-store';

type ParsedPatch = z.output<typeof RollbackSettingsPatch>;

interface StoredRegistry {
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

  async update(serverId: string, app: string, patch: ParsedPatch): Promise<RollbackSettings> {
    const current = this.get(serverId, app);
    const { registry: registryPatch, ...rest } = patch;
    let registry = current.registry;
    if (registryPatch === null) registry = null;
    else if (registryPatch !== undefined) {
      const sameRegistry = current.registry?.url === registryPatch.url;
      const password =
        registryPatch.password !== undefined
          ? registryPatch.password === ''
            ? null
            : await this.secrets.seal(registryPatch.password)
          : sameRegistry
            ? (current.registry?.password ?? null)
            : null;
      registry = { url: registryPatch.url, username: registryPatch.username ?? (sameRegistry ? (current.registry?.username ?? null) : null), password };
    }
    const next: StoredRollbackSettings = { ...current, ...stripUndefined(rest), registry };
    this.file(serverId).update((f) => ({ apps: { ...f.apps, [app]: next } }));
    return this.view(serverId, app);
  }

  /** The registry with its password opened, for the one push or pull about to run. */
  async registryAccess(serverId: string, app: string): Promise<RegistryAccess | null> {
    const registry = this.get(serverId, app).registry;
    if (!registry) return null;
    return { url: registry.url, username: registry.username, password: registry.password ? await this.secrets.open(registry.password) : null };
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
