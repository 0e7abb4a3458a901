import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { BerthError } from '../../../shared/errors';
import type { ServerLink } from '../ssh/server-link';
import { manifestRecords, parseListing, parseManifest, planSync, type ServerState, type SyncPlan } from './context-plan';
import { ShellSession } from '../locks/shell-session';
import { prepareScript, readScript, SECTION, TREE_CHANGED } from './context-scripts';
import type { ContextEntry, LocalContext } from './local-manifest';

export interface PreparedSync {
  plan: SyncPlan;
  /** The generation the build must find: the tree is then as planned, apart from the upload still to come. */
  gen: string;
  /** Whether the tree was changed (its `stat` is then written again once the upload is through). */
  changed: boolean;
  /** Bytes of the scripts sent (the lists of removed and coming files in them). */
  sentBytes: number;
}

/**
 * Readies the server's copy of an app's build context for the local one: reads what the server has, plans, and
 * (when anything differs) deletes what is gone and records what is coming. The files themselves go with the build
 * (see server-build.ts), so a deploy opens one exec channel.
 */
export async function prepareSync(link: ServerLink, dir: string, local: LocalContext, attempt = 1): Promise<PreparedSync> {
  const session = ShellSession.of(link);
  let sentBytes = Buffer.byteLength(readScript(dir));
  const read = await session.run(readScript(dir), SCRIPT_TIMEOUT_MS);
  if (read.code !== 0) throw syncError('read the build-context cache', read.output);
  const { state, gen: found } = parseState(read.output);
  const plan = planSync(local.entries, state);
  if (plan.send.length === 0 && plan.remove.length === 0 && found !== '') return { plan, gen: found, changed: false, sentBytes };
  const gen = randomBytes(8).toString('hex');
  const manifest = manifestRecords(plan.rewriteManifest ? local.entries : plan.send);
  const script = prepareScript(dir, { expectGen: found, newGen: gen, remove: plan.remove, manifest, rewrite: plan.rewriteManifest });
  sentBytes += Buffer.byteLength(script);
  const prepared = await session.run(script, SCRIPT_TIMEOUT_MS);
  if (prepared.code === TREE_CHANGED && attempt < 3) return prepareSync(link, dir, local, attempt + 1);
  if (prepared.code === TREE_CHANGED) throw new BerthError('BUILD_FAILED', 'Another deploy of this app keeps changing its build context on the server; deploy again when it is done.');
  if (prepared.code !== 0) throw syncError('delete removed files from the build-context cache', prepared.output);
  return { plan, gen, changed: true, sentBytes };
}

export function parseState(output: string): { state: ServerState; gen: string } {
  const [listing = '', rest1 = ''] = split(output, SECTION.stat);
  const [saved = '', rest2 = ''] = split(rest1, SECTION.manifest);
  const [manifest = '', gen = ''] = split(rest2, SECTION.gen);
  return {
    state: {
      listing: parseListing(listing),
      saved: parseListing(saved),
      manifest: parseManifest(manifest),
      manifestRecords: manifest.split('\0').length - 1,
    },
    gen: /^[0-9a-f]+$/.test(gen.trim()) ? gen.trim() : '',
  };
}

function split(text: string, mark: string): [string, string] {
  const at = text.indexOf(mark);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + mark.length)];
}

/** A tar of the entries, headers as Docker's CLI writes a context's (root's ids, the file's mode and mtime). */
export function packEntries(entries: readonly ContextEntry[]): Readable {
  const tar = pack();
  const out = new PassThrough();
  tar.pipe(out);
  void (async () => {
    for (const entry of entries) {
      const header = { name: entry.path, mode: entry.mode, mtime: new Date(entry.mtimeSec * 1000), uid: 0, gid: 0 };
      const content = entry.content;
      if (entry.type === 'dir') tar.entry({ ...header, type: 'directory' });
      else if (entry.type === 'symlink') tar.entry({ ...header, type: 'symlink', linkname: entry.linkTarget ?? '' });
      else if (content !== undefined) await new Promise<void>((done, fail) => tar.entry({ ...header, type: 'file' }, content, (error) => (error ? fail(error) : done())));
      else await pipeline(createReadStream(entry.absolute), tar.entry({ ...header, type: 'file', size: entry.size }));
    }
    tar.finalize();
  })().catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    out.destroy(new BerthError('SOURCE_INVALID', `A file of the build context could not be read while it was sent (${reason}); deploy again once it is not being written.`));
  });
  return out;
}

const SCRIPT_TIMEOUT_MS = 120_000;

export function syncError(what: string, output: string): BerthError {
  const said = output.replace(/\0/g, '').trim().split('\n').slice(-3).join(' ').slice(0, 300);
  return new BerthError('BUILD_FAILED', `Could not ${what} on the server: ${said || 'no reason given'}.`);
}
