import { userInfo } from 'node:os';
import { Server, ServerInput, type ServerSettings } from '../../../shared/api/servers';
import { BerthError } from '../../../shared/errors';
import { JsonFile } from '../store/json-file';
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
  path: string;
  secretsPath: string;
  secrets: SecretStore;
  /** The local Docker socket when one exists: "This computer" is listed only then. */
  localSocket: () => string | null;
}

/** Server definitions in servers.json, plus the built-in "This computer" while a local Docker socket exists. */
export class ServerStore {
  private readonly file: JsonFile<ServersFile>;
  private readonly secretsFile: JsonFile<SecretsFile>;

  constructor(private readonly options: ServerStoreOptions) {
    this.file = new JsonFile<ServersFile>(options.path, () => ({ version: 1, servers: [] }));
    this.secretsFile = new JsonFile<SecretsFile>(options.secretsPath, () => ({ version: 1, passphrases: {} }));
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
    const stored = this.stored();
    this.assertNameFree(stored, settings.name);
    const server = Server.parse({ ...settings, id: uniqueId(settings.name, stored), builtin: false, createdAt: new Date().toISOString() });
    this.file.write({ version: 1, servers: [...stored, server] });
    return server;
  }

  update(serverId: string, patch: Partial<ServerSettings>): Server {
    this.assertEditable(serverId, 'changed');
    const stored = this.stored();
    const current = this.get(serverId);
    const settings = ServerInput.parse({ ...current, ...patch });
    this.assertNameFree(stored.filter((server) => server.id !== serverId), settings.name);
    const next = Server.parse({ ...settings, id: current.id, builtin: false, createdAt: current.createdAt });
    this.file.write({ version: 1, servers: stored.map((server) => (server.id === serverId ? next : server)) });
    return next;
  }

  remove(serverId: string): boolean {
    this.assertEditable(serverId, 'removed');
    const stored = this.stored();
    const remaining = stored.filter((server) => server.id !== serverId);
    if (remaining.length === stored.length) return false;
    this.file.write({ version: 1, servers: remaining });
    this.secretsFile.update((file) => {
      const { [serverId]: _removed, ...passphrases } = file.passphrases;
      return { version: 1, passphrases };
    });
    return true;
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

  private stored(): Server[] {
    const file = this.file.read();
    return file.servers.map((raw) => {
      const parsed = Server.safeParse(raw);
      if (!parsed.success) {
        throw new BerthError('STORE_CORRUPT', `${this.options.path} holds a server Berth cannot read (${parsed.error.issues[0]?.message}). Fix or remove that entry.`);
      }
      return parsed.data;
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
