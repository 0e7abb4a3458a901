import { PassThrough, Writable } from 'node:stream';
import { BerthError } from '../../../shared/errors';
import type { DeploymentLog } from '../logs/deployment-log';
import type { ServerLink } from '../ssh/server-link';
import { buildCommand, buildScript, SYNC_FAILED, TREE_CHANGED, type ServerBuildSpec } from './context-scripts';
import { packEntries, syncError } from './context-sync';
import type { ContextEntry } from './local-manifest';

const RECORD = 10_240;

export type ServerBuildOutcome = { kind: 'built'; id: string; sentBytes: number } | { kind: 'tree-changed' };

/**
 * Sends the changed files (if any) and builds from the context folder kept on the server with the server's docker
 * CLI, in one exec channel: the context goes from disk to the daemon on the server and never back through the link.
 * Its output is the deployment's build log.
 */
export async function buildOnServer(
  link: ServerLink,
  dir: string,
  spec: Omit<ServerBuildSpec, 'upload'>,
  upload: readonly ContextEntry[],
  log: DeploymentLog,
  signal: AbortSignal,
): Promise<ServerBuildOutcome> {
  const script = Buffer.from(buildScript({ ...spec, upload: upload.length > 0 })).toString('base64');
  const stdin = new PassThrough();
  let sentBytes = Buffer.byteLength(buildCommand(dir)) + script.length + 1;
  stdin.write(`${script}\n`);
  // a file that cannot be read ends the upload, and the channel with it, instead of leaving tar waiting for more
  const running = new AbortController();
  const stop = (): void => running.abort();
  signal.addEventListener('abort', stop, { once: true });
  let unreadable: Error | undefined;
  if (upload.length > 0) {
    const tar = packEntries(upload);
    tar.on('data', (chunk: Buffer) => {
      sentBytes += chunk.length;
    });
    tar.on('error', (error: Error) => {
      unreadable = error;
      running.abort();
    });
    // whole 10 KiB records, as tar itself writes them: the server's tar reads full records from a pipe, and would
    // wait for the end of stdin (which stays open during the build) to complete a short last one
    let packed = 0;
    tar.on('data', (chunk: Buffer) => {
      packed += chunk.length;
    });
    tar.on('end', () => {
      const padding = (RECORD - (packed % RECORD)) % RECORD;
      sentBytes += padding;
      stdin.write(Buffer.alloc(padding));
    });
    tar.pipe(stdin, { end: false });
  }
  const tail = new LastLines(5);
  let result;
  try {
    result = await link.exec(buildCommand(dir), {
      signal: running.signal,
      stdin,
      stdout: sink((chunk) => log.chunk('out', chunk)),
      // BuildKit's plain progress is all on stderr: it is the build log, not a complaint
      stderr: sink((chunk) => {
        tail.push(chunk);
        log.chunk(spec.buildkit ? 'out' : 'err', chunk);
      }),
    });
  } catch (error) {
    if (unreadable) throw unreadable;
    if (signal.aborted) throw new BerthError('CANCELLED', 'The build was cancelled.');
    throw error;
  } finally {
    signal.removeEventListener('abort', stop);
    stdin.end();
  }
  if (result.code === TREE_CHANGED) return { kind: 'tree-changed' };
  if (result.code === SYNC_FAILED) throw syncError('unpack the changed files into the build-context cache', tail.all());
  if (result.code !== 0) {
    const reason = tail.last();
    if (/dockerfile/i.test(reason) && /no such file|cannot locate|not found/i.test(reason)) {
      throw new BerthError('DOCKERFILE_MISSING', `No Dockerfile at ${spec.dockerfile} in the build context.`);
    }
    throw new BerthError('BUILD_FAILED', `The build failed: ${reason || `docker build exited with ${result.code}`}`);
  }
  const image = await link.docker.getImage(spec.tag).inspect().catch(() => null);
  if (!image) throw new BerthError('BUILD_FAILED', 'The build ended without producing an image.');
  return { kind: 'built', id: image.Id, sentBytes };
}

function sink(onChunk: (chunk: Buffer) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      onChunk(chunk);
      done();
    },
  });
}

/** The last few non-empty lines of a stream, for the failure's message. */
class LastLines {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly keep: number) {}

  push(chunk: Buffer): void {
    const parts = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts.map((l) => l.trim()).filter((l) => l !== ''));
    this.lines = this.lines.slice(-this.keep);
  }

  all(): string {
    return [...this.lines, this.partial.trim()].filter((l) => l !== '').join('\n');
  }

  last(): string {
    return this.partial.trim() || (this.lines[this.lines.length - 1] ?? '');
  }
}
