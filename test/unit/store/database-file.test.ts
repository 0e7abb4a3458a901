import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guarded, openOrRecover } from '../../../electron/core/store/database-file';
import { SCHEMA } from '../../../electron/core/store/schema';
import type { SqlDatabase } from '../../../electron/core/store/sqlite';

const prepare = (db: SqlDatabase): void => db.exec(SCHEMA);

describe('damage found while Berth runs', () => {
  it('fails the call with STORE_CORRUPT naming the file, and the next start restores the backup', () => {
    const home = mkdtempSync(join(tmpdir(), 'berth-damage-'));
    const path = join(home, 'berth.db');
    const first = openOrRecover(path, home, prepare).db;
    first.prepare("INSERT INTO meta (key, value) VALUES ('kept', 'yes')").run();
    first.exec(`VACUUM INTO '${path}.bak'`);
    const damaged = guarded({ ...first, prepare: () => { throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }); } }, path);
    expect(() => damaged.prepare('SELECT 1')).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT', message: expect.stringContaining(path) }));
    first.close();

    const next = openOrRecover(path, home, prepare);
    expect(next.warnings.map((w) => w.code)).toEqual(['BACKUP_RESTORED']);
    expect(next.db.prepare("SELECT value FROM meta WHERE key = 'kept'").get()).toEqual({ value: 'yes' });
    expect(existsSync(`${path}.damaged`)).toBe(false);
    expect(readdirSync(join(home, 'quarantine')).some((name) => name.endsWith('berth.db'))).toBe(true);
    next.db.close();
  });
});
