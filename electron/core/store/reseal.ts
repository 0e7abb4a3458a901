import type { HomeStore } from './home-store';
import { replaceStrings, sealedStrings } from './sealed-values';
import type { SecretStore } from './secret-store';

interface Row {
  table: 'apps' | 'documents';
  rowid: number;
  doc: string;
}

/**
 * Moves every stored value sealed one way (`isOld`) to another: each is opened with `from` and sealed again with
 * `to`, then its row is rewritten in a transaction only if nobody changed it meanwhile (a changed row is done on the
 * next run). Returns how many values were moved. The desktop app runs this at start for OS-keychain values.
 */
export async function resealValues(store: HomeStore, isOld: (sealed: string) => boolean, from: SecretStore, to: SecretStore): Promise<number> {
  const rows = [
    ...(store.db.prepare('SELECT rowid, doc FROM apps').all() as Omit<Row, 'table'>[]).map((r) => ({ ...r, table: 'apps' as const })),
    ...(store.db.prepare('SELECT rowid, doc FROM documents').all() as Omit<Row, 'table'>[]).map((r) => ({ ...r, table: 'documents' as const })),
  ];
  let moved = 0;
  for (const row of rows) {
    const doc = parse(row.doc);
    const old = sealedStrings(doc, isOld);
    if (old.size === 0) continue;
    const replacements = new Map<string, string>();
    for (const sealed of old) replacements.set(sealed, await to.seal(await from.open(sealed)));
    const next = JSON.stringify(replaceStrings(doc, replacements));
    const bump = row.table === 'apps' ? ', rev = rev + 1' : '';
    const written = store.db.prepare(`UPDATE ${row.table} SET doc = ?${bump} WHERE rowid = ? AND doc = ?`).run(next, row.rowid, row.doc);
    if (written.changes > 0) moved += old.size;
  }
  return moved;
}

function parse(doc: string): unknown {
  try {
    return JSON.parse(doc) as unknown;
  } catch {
    return null;
  }
}
