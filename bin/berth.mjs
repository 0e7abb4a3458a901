#!/usr/bin/env node
// The berth command: runs the built bundle (dist-cli/berth.cjs). In a checkout of the sources it is rebuilt first
// whenever one of the files it was built from changed, so `npx berth` always runs the code you see.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (existsSync(join(root, 'scripts', 'build-cli.mjs'))) {
  const { ensureCli } = await import('../scripts/build-cli.mjs');
  await ensureCli(root);
}
const { start } = createRequire(import.meta.url)(join(root, 'dist-cli', 'berth.cjs'));
await start(process.argv);
