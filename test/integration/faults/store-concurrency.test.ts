import { describe, expect, it } from 'vitest';
import { runWriters } from '../../support/store-writers';
import { berth, newHome } from '../cli/harness';

async function homeWithServer(tag: string): Promise<string> {
  const home = newHome(tag);
  const added = await berth(home, ['server', 'add', 'box', '--host', '127.0.0.1', '--key', '/nonexistent/id_ed25519', '--no-check']);
  expect(added.code).toBe(0);
  return home;
}

describe('several Berth processes on one home', () => {
  it('keeps every app two processes create at the same time, their secrets sealed with one key', async () => {
    const home = await homeWithServer('apps');
    await runWriters(home, 'apps', ['left', 'right'], 40);
    const listed = await berth(home, ['app', 'list', '--server', 'box', '--json']);
    expect(listed.code).toBe(0);
    const names = (JSON.parse(listed.stdout) as { name: string }[]).map((a) => a.name);
    expect(names).toHaveLength(80);
    expect(new Set(names).size).toBe(80);
    const [opened] = await runWriters(home, 'open', ['reader'], 0);
    expect(opened?.done).toBe(80);
  });

  it('gives concurrent deployments of one app different sequence numbers', async () => {
    const home = await homeWithServer('seqs');
    expect((await berth(home, ['app', 'add', 'web', '--image', 'x:1', '--server', 'box'])).code).toBe(0);
    const results = await runWriters(home, 'records', ['left', 'right'], 40);
    const seqs = results.flatMap((r) => r.seqs).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    const history = await berth(home, ['history', 'web', '--server', 'box', '--json', '--limit', '100']);
    expect(history.code, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout)).toHaveLength(80);
  });
});
