import { describe, expect, it } from 'vitest';
import { manifestRecords, parseListing, parseManifest, planSync, type ServerState } from '../../../electron/core/context/context-plan';
import type { ContextEntry } from '../../../electron/core/context/local-manifest';

const hash = (c: string): string => c.repeat(64);

function file(path: string, h: string, mode = 0o644): ContextEntry {
  return { path, type: 'file', mode, size: 10, mtimeSec: 1, hash: hash(h), absolute: `/src/${path}` };
}
function dir(path: string, mode = 0o755): ContextEntry {
  return { path, type: 'dir', mode, size: 0, mtimeSec: 1, hash: '', absolute: `/src/${path}` };
}

/** A server whose tree was last written as `lines` say, with the hashes recorded then. */
function server(lines: string[], hashes: Record<string, string>, changed: Record<string, string> = {}): ServerState {
  const saved = lines.map((l) => `${l}\0`).join('');
  const now = lines.map((l) => `${changed[l] ?? l}\0`).join('');
  const manifest = Object.entries(hashes).map(([p, h]) => `${hash(h)} ${p}\0`).join('');
  return { listing: parseListing(now), saved: parseListing(saved), manifest: parseManifest(manifest), manifestRecords: Object.keys(hashes).length };
}

describe('planning a build-context sync', () => {
  it('sends everything to an empty cache', () => {
    const local = [dir('src'), file('src/a.js', 'a'), file('Dockerfile', 'd')];
    const plan = planSync(local, server([], {}));
    expect(plan.send.map((e) => e.path)).toEqual(['src', 'src/a.js', 'Dockerfile']);
    expect(plan.remove).toEqual([]);
  });

  it('sends only the file whose hash changed', () => {
    const lines = ['d 755 4096 1.5 src', 'f 644 10 1.5 src/a.js', 'f 644 10 1.5 Dockerfile'];
    const plan = planSync([dir('src'), file('src/a.js', 'b'), file('Dockerfile', 'd')], server(lines, { 'src/a.js': 'a', Dockerfile: 'd' }));
    expect(plan.send.map((e) => e.path)).toEqual(['src/a.js']);
    expect(plan.kept).toBe(1);
  });

  it('sends again a file changed on the server since it was recorded', () => {
    const lines = ['f 644 10 1.5 Dockerfile'];
    const plan = planSync([file('Dockerfile', 'd')], server(lines, { Dockerfile: 'd' }, { 'f 644 10 1.5 Dockerfile': 'f 644 10 9.25 Dockerfile' }));
    expect(plan.send.map((e) => e.path)).toEqual(['Dockerfile']);
  });

  it('sends again a file the manifest has no hash for (a sync cut short)', () => {
    const plan = planSync([file('Dockerfile', 'd')], server(['f 644 10 1.5 Dockerfile'], {}));
    expect(plan.send.map((e) => e.path)).toEqual(['Dockerfile']);
  });

  it('sends a file or folder whose mode changed', () => {
    const lines = ['d 700 4096 1.5 bin', 'f 644 10 1.5 bin/run'];
    const plan = planSync([dir('bin'), file('bin/run', 'r', 0o755)], server(lines, { 'bin/run': 'r' }));
    expect(plan.send.map((e) => e.path)).toEqual(['bin', 'bin/run']);
  });

  it('removes what is gone and what changed type, never a path inside a removed folder', () => {
    const lines = ['d 755 4096 1.5 old', 'f 644 10 1.5 old/x', 'd 755 4096 1.5 old/deep', 'f 644 10 1.5 was-file', 'l 777 3 1.5 link'];
    const local = [dir('was-file'), file('link', 'l')];
    const plan = planSync(local, server(lines, { 'old/x': 'x', 'was-file': 'w', link: 'l' }));
    expect(plan.remove.sort()).toEqual(['link', 'old', 'was-file']);
    expect(plan.send.map((e) => e.path)).toEqual(['was-file', 'link']);
  });

  it('rewrites the manifest once appends made it far longer than the tree', () => {
    const state = server([], {});
    expect(planSync([file('a', 'a')], { ...state, manifestRecords: 1002 }).rewriteManifest).toBe(false);
    expect(planSync([file('a', 'a')], { ...state, manifestRecords: 1003 }).rewriteManifest).toBe(true);
  });

  it('reads paths with spaces and newlines from NUL-ended records', () => {
    const listing = parseListing('f 644 3 1.25 a b\nc\0d 755 4096 1.5 dir\0');
    expect([...listing.keys()]).toEqual(['a b\nc', 'dir']);
    expect(listing.get('dir')).toMatchObject({ type: 'dir', mode: 0o755 });
  });

  it('keeps the last manifest record of a path and writes none for folders', () => {
    expect(parseManifest(`${hash('a')} x\0${hash('b')} x\0broken\0`).get('x')).toBe(hash('b'));
    expect(manifestRecords([dir('d'), file('d/f', 'c')])).toBe(`${hash('c')} d/f\0`);
  });
});
