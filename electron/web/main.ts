import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../core/engine';
import { PREVIEW_SWEEP_MS } from '../core/previews/preview-module';
import { AUTO_DEPLOY_TICK_MS } from '../core/watch/auto-deploy-module';
import { startBridge } from './bridge-server';

/** `npm run web`: the engine plus the browser bridge, for machines without a display or without Electron. */
async function main(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const engine = createEngine({ previewSweepMs: PREVIEW_SWEEP_MS, autoDeployTickMs: AUTO_DEPLOY_TICK_MS, uptime: {} });
  const port = process.env.BERTH_WEB_PORT ? Number(process.env.BERTH_WEB_PORT) : 0;
  const bridge = await startBridge({ engine, rendererDir: join(root, 'dist', 'renderer'), port });
  process.stdout.write(
    `Berth is running at ${bridge.url}\n` +
      'Open that address in a browser on this machine. Ctrl+C stops it.\n' +
      `From another machine: ssh -L 8080:127.0.0.1:${bridge.port} you@this-machine, then open http://localhost:8080/?token=${bridge.token}\n`,
  );
  const stop = async (): Promise<void> => {
    await bridge.close();
    await engine.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
