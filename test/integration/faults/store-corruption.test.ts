import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppInput } from '../../../shared/api/apps';
import { berthPaths } from '../../../electron/core/home';
import { ReleaseStore } from '../../../electron/core/releases/release-store';
import { HomeStore } from '../../../electron/core/store/home-store';
import { deployment } from '../../unit/deploy/fixtures';
import { berth, newHome } from '../cli/harness';

/** A home with server box, app web and three deployment records of it, written by real CLI runs and the store. */
async function seededHome(tag: string): Promise<string> {
  const home = newHome(tag);
  expect((await berth(home, ['server', 'add', 'box', '--host', '127.0.0.1', '--key', '/nonexistent/id_ed25519', '--no-check'])).code).toBe(0);
  expect((await berth(home, ['app', 'add', 'web', '--image', 'x:1', '--server', 'box', '--secret', 'TOKEN=hunter22'])).code).toBe(0);
  expect((await berth(home, ['app', 'add', 'api', '--image', 'x:1', '--server', 'box'])).code).toBe(0);
  const store = new ReleaseStore(berthPaths(home));
  for (const seq of [1, 2, 3]) {
    store.save(deployment({ id: `web-${seq}`, serverId: 'box', app: 'web', seq, status: seq === 3 ? 'live' : 'superseded', timestamps: { queued: `2026-01-0${seq}T00:00:00.000Z` } }));
  }
  HomeStore.close(home);
  // a backup of the records as seeded (Berth refreshes it once a day)
  rmSync(join(home, 'berth.db.bak'));
  HomeStore.open(home);
  HomeStore.close(home);
  return home;
}

function withDatabase(home: string, work: (db: Database.Database) => void): void {
  const db = new Database(join(home, 'berth.db'));
  work(db);
  db.close();
}

async function historySeqs(home: string): Promise<{ seqs: number[]; stderr: string }> {
  const run = await berth(home, ['history', 'web', '--server', 'box', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return { seqs: (JSON.parse(run.stdout) as { seq: number }[]).map((d) => d.seq), stderr: run.stderr };
}

function quarantined(home: string): string[] {
  const dir = join(home, 'quarantine');
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('records that cannot be read', () => {
  it('sets an unreadable deployment record aside, says so once, and shows the others', async () => {
    const home = await seededHome('bad-record');
    withDatabase(home, (db) => db.prepare("UPDATE deployments SET doc = '{\"id\": \"web-2\", trunc' WHERE id = 'web-2'").run());
    const first = await historySeqs(home);
    expect(first.seqs).toEqual([3, 1]);
    expect(first.stderr).toMatch(/warning The deployment record web-2 of server box could not be read .*berth\.db.*\(RECORD_QUARANTINED\)/);
    const again = await historySeqs(home);
    expect(again.seqs).toEqual([3, 1]);
    expect(again.stderr).toBe('');
    withDatabase(home, (db) => expect(db.prepare("SELECT content FROM quarantine WHERE source = 'deployments/box/web-2'").get()).toBeDefined());
  });

  it('sets an unreadable app aside and lists the server’s other apps', async () => {
    const home = await seededHome('bad-app');
    withDatabase(home, (db) => db.prepare("UPDATE apps SET doc = 'not json' WHERE name = 'api'").run());
    const listed = await berth(home, ['app', 'list', '--server', 'box', '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((a) => a.name)).toEqual(['web']);
    expect(listed.stderr).toContain('The app "api" of server box could not be read');
  });

  it('moves an unreadable database aside and restores its backup, announcing both', async () => {
    const home = await seededHome('bad-db');
    writeFileSync(join(home, 'berth.db'), 'this is not a database'.repeat(500));
    const { seqs, stderr } = await historySeqs(home);
    expect(seqs).toEqual([3, 2, 1]);
    expect(stderr).toMatch(/berth\.db could not be read .* moved to .*quarantine.* backup of .* was restored.*\(BACKUP_RESTORED\)/);
    expect(quarantined(home).some((name) => name.endsWith('berth.db'))).toBe(true);
    expect((await berth(home, ['app', 'list', '--server', 'box', '--json'])).code).toBe(0);
  });

  it('treats a database cut short as unreadable, and keeps it', async () => {
    const home = await seededHome('short-db');
    truncateSync(join(home, 'berth.db'), 4096);
    const run = await berth(home, ['server', 'list', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/berth\.db could not be read .*\(BACKUP_RESTORED\)/);
    expect(quarantined(home).some((name) => name.endsWith('berth.db'))).toBe(true);
  });

  it('starts empty, keeping the file, when neither the database nor a backup can be read', async () => {
    const home = await seededHome('no-backup');
    rmSync(join(home, 'berth.db.bak'));
    writeFileSync(join(home, 'berth.db'), 'garbage');
    const run = await berth(home, ['server', 'list', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(run.stderr).toMatch(/no usable backup exists. It was moved to .*quarantine.*\(FILE_QUARANTINED\)/);
    expect(readFileSync(join(home, 'quarantine', quarantined(home).find((n) => n.endsWith('berth.db')) ?? ''), 'utf8')).toBe('garbage');
  });
});

describe('an older JSON home', () => {
  function legacyHome(tag: string): string {
    const home = newHome(tag);
    const dir = join(home, 'servers', 'box');
    mkdirSync(join(dir, 'deployments'), { recursive: true });
    const server = { id: 'box', name: 'box', host: '127.0.0.1', port: 22, user: 'root', auth: { kind: 'key', keyPath: '/k' }, dockerSocket: '/var/run/docker.sock', builtin: false, createdAt: '2026-01-01T00:00:00.000Z' };
    writeFileSync(join(home, 'servers.json'), JSON.stringify({ version: 1, servers: [server] }));
    const app = { ...AppInput.parse({ serverId: 'box', name: 'web', source: { kind: 'image', image: 'x:1' } }), createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
    writeFileSync(join(dir, 'apps.json'), '{"apps": [');
    writeFileSync(join(dir, 'apps.json.bak'), JSON.stringify({ apps: [app] }));
    for (const seq of [1, 2]) {
      writeFileSync(join(dir, 'deployments', `web-${seq}.json`), JSON.stringify(deployment({ id: `web-${seq}`, serverId: 'box', app: 'web', seq, status: 'superseded' })));
    }
    writeFileSync(join(dir, 'deployments', 'web-3.json'), '{"id": "web-3"');
    return home;
  }

  it('is imported once, an unreadable file from its backup and an unreadable record set aside, each announced', async () => {
    const home = legacyHome('legacy');
    const { seqs, stderr } = await historySeqs(home);
    expect(seqs).toEqual([2, 1]);
    expect(stderr).toMatch(/apps\.json could not be read and was moved to .*quarantine.*its backup .*apps\.json\.bak was used instead/);
    expect(stderr).toMatch(/web-3\.json could not be imported: it is not valid JSON/);
    expect(existsSync(join(home, 'json-backup', 'servers.json'))).toBe(true);
    expect(existsSync(join(home, 'json-backup', 'servers', 'box', 'deployments', 'web-1.json'))).toBe(true);
    expect((await historySeqs(home)).stderr).toBe('');
  });
});

describe('the secret key', () => {
  it('cut short is refused with the file named, and nothing is sealed with another key', async () => {
    const home = await seededHome('short-key');
    writeFileSync(join(home, 'secret.key'), readFileSync(join(home, 'secret.key'), 'utf8').slice(0, 10));
    const run = await berth(home, ['app', 'add', 'other', '--image', 'x:1', '--server', 'box', '--secret', 'A=b']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(join(home, 'secret.key'));
    expect(run.stderr).toContain('SECRET_KEY_INVALID');
  });

  it('deleted while sealed values exist is not replaced by a new one', async () => {
    const home = await seededHome('gone-key');
    rmSync(join(home, 'secret.key'));
    const run = await berth(home, ['app', 'add', 'other', '--image', 'x:1', '--server', 'box', '--secret', 'A=b']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('SECRET_KEY_MISSING');
    expect(existsSync(join(home, 'secret.key'))).toBe(false);
  });
});
