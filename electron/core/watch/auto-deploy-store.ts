import type { AutoDeploySettings, AutoDeployStatus } from '../../../shared/api/auto-deploy';
import type { ErrorEnvelope } from '../../../shared/error-envelope';
import type { HomeStore } from '../store/home-store';
import type { WatchMemory } from './auto-deploy-plan';

/** One app's auto-deploy as kept in the home: what the status shows plus what the checks remember. */
export interface AutoDeployRecord {
  settings: AutoDeploySettings | null;
  paused: boolean;
  lastCheckAt: string | null;
  lastSeen: AutoDeployStatus['lastSeen'];
  lastDeployment: AutoDeployStatus['lastDeployment'];
  lastError: ErrorEnvelope | null;
  memory: WatchMemory;
}

const PREFIX = 'autoDeploy:';

function empty(): AutoDeployRecord {
  return { settings: null, paused: false, lastCheckAt: null, lastSeen: null, lastDeployment: null, lastError: null, memory: { tagsSeen: null, started: [] } };
}

/** Auto-deploy records, one document per app in the home's database, so the desktop app and `berth watch` share them. */
export class AutoDeployStore {
  constructor(private readonly store: HomeStore) {}

  read(serverId: string, app: string): AutoDeployRecord {
    return { ...empty(), ...this.doc(serverId, app).read() };
  }

  update(serverId: string, app: string, change: (current: AutoDeployRecord) => AutoDeployRecord): AutoDeployRecord {
    return { ...empty(), ...this.doc(serverId, app).update((current) => change({ ...empty(), ...current })) };
  }

  remove(serverId: string, app: string): void {
    this.store.db.prepare('DELETE FROM documents WHERE key = ?').run(key(serverId, app));
  }

  /** Every app with auto-deploy settings, paused or not. */
  watched(): Array<{ serverId: string; app: string }> {
    const rows = this.store.db.prepare(`SELECT key FROM documents WHERE key LIKE ?`).all(`${PREFIX}%`) as Array<{ key: string }>;
    return rows
      .map((row) => row.key.slice(PREFIX.length).split('/'))
      .filter((parts): parts is [string, string] => parts.length === 2)
      .map(([serverId, app]) => ({ serverId, app }))
      .filter(({ serverId, app }) => this.read(serverId, app).settings !== null);
  }

  private doc(serverId: string, app: string) {
    return this.store.document<Partial<AutoDeployRecord>>(key(serverId, app), empty);
  }
}

function key(serverId: string, app: string): string {
  return `${PREFIX}${serverId}/${app}`;
}

export function statusOf(serverId: string, app: string, record: AutoDeployRecord): AutoDeployStatus {
  const { settings, paused, lastCheckAt, lastSeen, lastDeployment, lastError } = record;
  return { serverId, app, settings, paused, lastCheckAt, lastSeen, lastDeployment, lastError };
}
