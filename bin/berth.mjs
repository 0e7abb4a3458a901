#!/usr/bin/env node
// The berth command. The engine is TypeScript; tsx compiles it on the fly so `npx berth` works right after `npm ci`.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

register();
const { main } = await import(join(dirname(fileURLToPath(import.meta.url)), '..', 'electron', 'cli', 'main.ts'));
await main(process.argv);
// Everything the command opened is closed by now; a handle something forgot must not keep a CI job waiting.
setTimeout(() => process.exit(), 2000).unref();
