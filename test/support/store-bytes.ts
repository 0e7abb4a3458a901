import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Everything the home's database holds on disk (main file and write-ahead log), as text to search for plain secrets. */
export function storeBytes(home: string): string {
  return ['berth.db', 'berth.db-wal']
    .map((name) => join(home, name))
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'))
    .join('');
}
