#!/usr/bin/env node
// The berth command. The engine is TypeScript; tsx compiles it on the fly so `npx berth` works right after `npm ci`.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

register();
const { main } = await import(join(dirname(fileURLToPath(import.meta.url)), '..', 'electron', 'cli', 'main.ts'));
await main(process.argv);
