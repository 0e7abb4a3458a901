/**
 * A Berth process writing one home, for tests and benches of several processes at once:
 * `node --import tsx store-writer.ts HOME apps|records|open PREFIX COUNT [SERVER]`. It opens the engine as the CLI does,
 * prints `ready`, waits for a line on stdin (so every writer starts at the same moment), then creates COUNT apps
 * through the contract (`apps.create`, each with a secret TOKEN equal to its name), or COUNT deployment records of
 * app `web` (each with the next seq), or opens every app's TOKEN (`open`), and prints `{"done":N,"seqs":[…]}`.
 */
import { createInterface } from 'node:readline';
import { openEnv } from '../../electron/core/apps/app-store';
import { createEngine } from '../../electron/core/engine';
import { KeyFileSecrets } from '../../electron/core/store/key-file-secrets';
import { deployment } from '../unit/deploy/fixtures';

const [home, mode, prefix, countText, serverId = 'box'] = process.argv.slice(2);
const count = Number(countText);
if (!home || !['apps', 'records', 'open'].includes(mode ?? '') || !prefix || !Number.isInteger(count)) {
  throw new Error('usage: store-writer.ts HOME apps|records|open PREFIX COUNT [SERVER]');
}

const engine = createEngine({ home });
const ctx = { clientId: prefix, signal: new AbortController().signal, emit: () => undefined };
process.stdout.write('ready\n');
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));

const seqs: number[] = [];
if (mode === 'open') {
  const secrets = new KeyFileSecrets(engine.paths.secretKey);
  let opened = 0;
  for (const app of engine.deploy.apps.list(serverId)) {
    const { pairs } = await openEnv(app.runtime.env, secrets);
    if (pairs.includes(`TOKEN=${app.name}`)) opened += 1;
  }
  process.stdout.write(`${JSON.stringify({ done: opened, seqs })}\n`);
  await engine.close();
  process.exit(0);
}
for (let i = 0; i < count; i += 1) {
  // a moment between writes, so the writers' operations interleave instead of one finishing before the other starts
  await new Promise((resolve) => setTimeout(resolve, 1));
  if (mode === 'apps') {
    const outcome = await engine.dispatcher.call('apps.create', { serverId, name: `${prefix}-${i}`, source: { kind: 'image', image: 'x:1' }, runtime: { env: [{ key: 'TOKEN', value: `${prefix}-${i}`, secret: true }] } }, ctx);
    if (!outcome.ok) throw new Error(outcome.error.message);
  } else {
    const record = engine.deploy.store.create(serverId, 'web', (seq) =>
      deployment({ id: `web-${seq}-${prefix}`, serverId, app: 'web', seq, status: 'failed', timestamps: { queued: new Date().toISOString() } }),
    );
    seqs.push(record.seq);
  }
}
process.stdout.write(`${JSON.stringify({ done: count, seqs })}\n`);
await engine.close();
