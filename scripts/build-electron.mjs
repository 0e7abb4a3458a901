// Bundles the Electron main process and the preload into CommonJS files under dist-electron/.
// The preload must be one self-contained file: a sandboxed preload cannot require its siblings.
import { build } from 'esbuild';
import { MODULE_URL } from './build-cli.mjs';

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({ ...common, ...MODULE_URL, entryPoints: ['electron/main/index.ts'], outfile: 'dist-electron/main/index.cjs', packages: 'external' });
await build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'dist-electron/preload/index.cjs', external: ['electron'] });
