import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** Everything the built command loads before a command body runs: static imports only, dynamic ones stay lazy. */
function loadedAtStart(metafile: Metafile, entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.kind === 'dynamic-import') continue;
      if (imported.external) packages.add(imported.path);
      else visit(imported.path);
    }
  };
  visit(entry);
  return { files: [...files], packages: [...packages] };
}

describe('the built berth command', () => {
  it('loads neither the engine nor zod before a command runs, so --help and --version start fast', async () => {
    const entry = 'electron/cli/bin.ts';
    const { metafile } = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', packages: 'external', metafile: true, write: false, outfile: 'berth.cjs', logLevel: 'silent' });
    const start = loadedAtStart(metafile, entry);
    expect(start.packages.filter((name) => !name.startsWith('node:'))).toEqual(['commander']);
    expect(start.files.filter((file) => file.startsWith('electron/core/'))).toEqual([]);
  });
});
