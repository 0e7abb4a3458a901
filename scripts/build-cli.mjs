// Builds the berth command into dist-cli/berth.cjs: our TypeScript in one file, npm packages left to node_modules
// (ssh2 and dockerode read files beside their own code, and each package is loaded only by the command that needs
// it). Run directly, it builds only when a file the bundle was made from changed; --force builds anyway.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** import.meta.url for the engine's createRequire calls, which a CommonJS bundle lacks: its own file's URL. */
export const MODULE_URL = {
  define: { 'import.meta.url': '__berthModuleUrl' },
  banner: { js: "const __berthModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

export const CLI_BUNDLE = join('dist-cli', 'berth.cjs');
const INPUTS = join('dist-cli', 'inputs.json');

/** Whether the bundle is missing or older than any file it was built from (the list its last build recorded). */
export function isCliStale(root) {
  let builtAt;
  let inputs;
  try {
    builtAt = statSync(join(root, CLI_BUNDLE)).mtimeMs;
    inputs = JSON.parse(readFileSync(join(root, INPUTS), 'utf8'));
  } catch {
    return true;
  }
  return inputs.some((input) => {
    try {
      return statSync(join(root, input)).mtimeMs > builtAt;
    } catch {
      return true;
    }
  });
}

export async function buildCli(root) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['electron/cli/bin.ts'],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    metafile: true,
    write: false,
    ...MODULE_URL,
    logLevel: 'warning',
  });
  mkdirSync(join(root, 'dist-cli'), { recursive: true });
  // Written beside and renamed, so a berth started meanwhile (or a second build) never reads half a file.
  const bundle = result.outputFiles.find((file) => file.path.endsWith('.cjs'));
  writeAtomically(join(root, CLI_BUNDLE), bundle.contents);
  const inputs = Object.keys(result.metafile.inputs).map((input) => relative(root, join(root, input)));
  writeAtomically(join(root, INPUTS), JSON.stringify(inputs));
}

export async function ensureCli(root) {
  if (isCliStale(root)) await buildCli(root);
}

function writeAtomically(path, contents) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  if (process.argv.includes('--force')) await buildCli(root);
  else await ensureCli(root);
}
