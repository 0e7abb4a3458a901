/**
 * An engine in a process of its own, for tests that kill it mid-deploy: `node --import tsx engine-child.ts HOME
 * SERVER_ID APP`. It asks for one deployment of APP and prints every change of it as a JSON line on stdout.
 * BERTH_KNOWN_HOSTS must name the sandbox host keys.
 */
import { createEngine } from '../../electron/core/engine';

const [home, serverId, app] = process.argv.slice(2);
if (!home || !serverId || !app) throw new Error('usage: engine-child.ts HOME SERVER_ID APP');

const engine = createEngine({ home });
engine.bus.on('deployments.changed', (d) => process.stdout.write(`${JSON.stringify(d)}\n`));
const outcome = await engine.dispatcher.call('deployments.deploy', { serverId, app }, {
  clientId: 'child',
  signal: new AbortController().signal,
  emit: () => undefined,
});
if (!outcome.ok) {
  process.stderr.write(`${JSON.stringify(outcome.error)}\n`);
  process.exit(1);
}
