import { userInfo } from 'node:os';
import { Server, ServerInput, type ServerSettings } from '../../../shared/api/servers';
import { BerthError } from '../../../shared/errors';
import { HomeStore } from '../store/home-store';
import { quarantineRow } from '../store/rows';
import type { StoreDocument } from '../store/store-document';
import type { SecretStore } from '../store/secret-store';

export const LOCAL_SERVER_ID = 'local';

interface ServersFile {
  version: 1;
  servers: unknown[];
}

interface SecretsFile {
  version: 1;
  /** Sealed key passphrases by server id; never written in plain text. */
  passphrases: Record<string, string>;
}

export interface ServerStoreOptions {
  /** Berth's home, whose database holds the servers. */
  home: string;
  secrets: SecretStore;
  /** The local Docker socket when one exists: "This computer" is listed only then. */
  localSocket: () => string | null;
}

/**
 * Server definitions in the home's database, plus the built-in "This computer" while a local Docker socket exists.
 * Each change reads and writes the list in one transaction, so servers added by two processes at once are both kept.
 */
export class ServerStore {
  constructor(private readonly options: ServerStoreOptions) {}

  private get store(): HomeStore {
    return HomeStore.open(this.options.home);
  }

  private get file(): StoreDocument<ServersFile> {
    return this.store.document<ServersFile>('servers', () => ({ version: 1, servers: [] }));
  }

  private get secretsFile(): StoreDocument<SecretsFile> {
    return this.store.document<SecretsFile>('server-secrets', () => ({ version: 1, passphrases: {} }));
  }

  list(): Server[] {
    const socket = this.options.localSocket();
    return socket ? [localServer(socket), ...this.stored()] : this.stored();
  }

  get(serverId: string): Server {
    const server = this.list().find((candidate) => candidate.id === serverId);
    if (!server) throw new BerthError('SERVER_NOT_FOUND', `There is no server "${serverId}". It may have been removed.`, { serverId });
    return server;
  }

  add(settings: ServerSettings): Server {
    return this.store.transaction(() => {
      const stored = this.stored();
      this.assertNameFree(stored, settings.name);
      const server = Server.parse({ ...settings, id: uniqueId(settings.name, stored), builtin: false, createdAt: new Date().toISOString() });
      this.file.write({ version: 1, servers: [...stored, server] });
      return server;
    });
  }

  update(serverId: string, patch: Partial<ServerSettings>): Server {
    this.assertEditable(serverId, 'changed');
    return this.store.transaction(() => {
      const stored = this.stored();
      const current = this.get(serverId);
      const settings = ServerInput.parse({ ...current, ...patch });
      this.assertNameFree(stored.filter((server) => server.id !== serverId), settings.name);
      const next = Server.parse({ ...settings, id: current.id, builtin: false, createdAt: current.createdAt });
      this.file.write({ version: 1, servers: stored.map((server) => (server.id === serverId ? next : server)) });
      return next;
    });
  }

  remove(serverId: string): boolean {
    this.assertEditable(serverId, 'removed');
    return this.store.transaction(() => {
      const stored = this.stored();
      const remaining = stored.filter((server) => server.id !== serverId);
      if (remaining.length === stored.length) return false;
      this.file.write({ version: 1, servers: remaining });
      this.secretsFile.update((file) => {
        const { [serverId]: _removed, ...passphrases } = file.passphrases;
        return { version: 1, passphrases };
      });
      return true;
    });
  }

  async setPassphrase(serverId: string, passphrase: string): Promise<void> {
    this.get(serverId);
    const sealed = await this.options.secrets.seal(passphrase);
    this.secretsFile.update((file) => ({ version: 1, passphrases: { ...file.passphrases, [serverId]: sealed } }));
  }

  async passphrase(serverId: string): Promise<string | undefined> {
    const sealed = this.secretsFile.read().passphrases[serverId];
    return sealed === undefined ? undefined : this.options.secrets.open(sealed);
  }

  /** The stored servers; an entry that cannot be read is set aside (kept) and announced, never blocking the others. */
  private stored(): Server[] {
    const { good, bad } = sortEntries(this.file.read());
    if (bad.length > 0) this.setAside();
    return good;
  }

  private setAside(): void {
    const store = this.store;
    store.transaction(() => {
      // read again inside the transaction: a server another process added meanwhile is kept
      const { good, bad } = sortEntries(this.file.read());
      for (const { raw, why } of bad) {
        const row = quarantineRow(store.db, 'servers', JSON.stringify(raw));
        const name = (raw as { name?: unknown } | null)?.name;
        store.warn({
          code: 'RECORD_QUARANTINED',
          message: `A stored server${typeof name === 'string' ? ` ("${name}")` : ''} could not be read (${why}) and was set aside (kept as quarantine row ${row} in ${store.home}/berth.db); add it again. The other servers are unaffected.`,
          path: `${store.home}/berth.db`,
        });
      }
      this.file.write({ version: 1, servers: good });
    });
  }

  private assertNameFree(servers: readonly Server[], name: string): void {
    const taken = servers.find((server) => server.name.toLowerCase() === name.toLowerCase());
    if (taken) throw new BerthError('SERVER_EXISTS', `A server named "${name}" already exists. Pick another name.`, { serverId: taken.id });
  }

  private assertEditable(serverId: string, verb: string): void {
    if (serverId === LOCAL_SERVER_ID) {
      throw new BerthError('FORBIDDEN', `"This computer" is built in and cannot be ${verb}; it appears whenever a local Docker socket exists.`);
    }
  }
}

function sortEntries(file: ServersFile): { good: Server[]; bad: { raw: unknown; why: string }[] } {
  const good: Server[] = [];
  const bad: { raw: unknown; why: string }[] = [];
  for (const raw of Array.isArray(file.servers) ? file.servers : []) {
    const parsed = Server.safeParse(raw);
    if (parsed.success) good.push(parsed.data);
    else bad.push({ raw, why: parsed.error.issues[0]?.message ?? 'invalid' });
  }
  return { good, bad };
}

function localServer(socket: string): Server {
  return Server.parse({
    id: LOCAL_SERVER_ID,
    name: 'This computer',
    host: 'localhost',
    user: userInfo().username,
    auth: { kind: 'local' },
    dockerSocket: socket,
    color: '#8a8f98',
    builtin: true,
    createdAt: new Date(0).toISOString(),
  });
}

function uniqueId(name: string, servers: readonly Server[]): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'server';
  const taken = new Set([LOCAL_SERVER_ID, ...servers.map((server) => server.id)]);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
