import type { Duplex } from 'node:stream';
import { BerthError } from '../../../shared/errors';
import { asBerthError } from '../deploy/docker-util';
import { parseServersState, slotStateOf, type ServerStateRow } from './haproxy-config';

const COMMAND_TIMEOUT_MS = 5000;

/**
 * HAProxy's runtime API, one command per connection (non-interactive mode: HAProxy answers and closes). The
 * connection comes through the server link, so the API listens nowhere beyond the Berth network.
 */
export class HaproxyRuntime {
  constructor(private readonly connect: () => Promise<Duplex>) {}

  async command(cmd: string): Promise<string> {
    const socket = await this.connect();
    return new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new BerthError('PROXY_FAILED', `The edge proxy did not answer "${cmd}" within ${COMMAND_TIMEOUT_MS / 1000} s.`));
      }, COMMAND_TIMEOUT_MS);
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new BerthError('PROXY_FAILED', `The edge proxy's runtime API failed: ${error.message}`));
      });
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
      socket.end(`${cmd}\n`);
    });
  }

  /** Runs a command that answers nothing on success; any text back is HAProxy's complaint. */
  async mustSucceed(cmd: string): Promise<void> {
    const answer = (await this.command(cmd)).trim();
    if (answer !== '') throw new BerthError('PROXY_FAILED', `The edge proxy refused "${cmd}": ${answer}`);
  }

  async serversState(backend?: string): Promise<ServerStateRow[]> {
    return parseServersState(await this.command(backend ? `show servers state ${backend}` : 'show servers state'));
  }

  async backends(): Promise<string[]> {
    const text = await this.command('show backend');
    return text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
  }

  setState(backend: string, server: string, state: 'ready' | 'drain' | 'maint'): Promise<void> {
    return this.mustSucceed(`set server ${backend}/${server} state ${state}`);
  }

  /** Current sessions per server of a backend (the `scur` column of `show stat`). */
  async sessions(backend: string): Promise<Map<string, number>> {
    const text = await this.command(`show stat ${backend} 4 -1`);
    const out = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      const f = line.split(',');
      if (f[0] === backend && f[1]) out.set(f[1], Number(f[4] ?? 0));
    }
    return out;
  }

  /** Waits until the runtime API answers (a fresh container needs a moment to load its config). */
  async waitAnswering(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.command('show info');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw asBerthError(error, 'PROXY_FAILED', 'The edge proxy did not start answering');
        await sleep(50);
      }
    }
  }

  /** Waits until every named server reports up (operational state 2). */
  async waitUp(backend: string, servers: string[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.serversState(backend);
      const down = servers.filter((name) => rows.find((r) => r.server === name)?.opState !== 2);
      if (down.length === 0) return;
      if (Date.now() > deadline) {
        throw new BerthError('PROXY_FAILED', `The edge proxy did not see ${down.join(', ')} of ${backend} come up within ${timeoutMs / 1000} s.`);
      }
      if (signal?.aborted) throw new BerthError('CANCELLED', 'Cancelled while waiting for the edge proxy.');
      await sleep(25);
    }
  }

  /** Waits until at least one server of the backend is up and taking traffic (a Swarm service's resolved tasks). */
  async waitAnyUp(backend: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.serversState(backend);
      if (rows.some((r) => r.opState === 2 && slotStateOf(r) === 'ready')) return;
      if (Date.now() > deadline) {
        throw new BerthError('PROXY_FAILED', `The edge proxy found no server of ${backend} up within ${timeoutMs / 1000} s: the release runs, but no traffic reaches it.`);
      }
      if (signal?.aborted) throw new BerthError('CANCELLED', 'Cancelled while waiting for the edge proxy.');
      await sleep(100);
    }
  }

  /** Waits until the named servers hold no sessions, or the timeout passes (then their stragglers are cut). */
  async waitIdle(backend: string, servers: string[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sessions = await this.sessions(backend);
      if (servers.every((name) => (sessions.get(name) ?? 0) === 0)) return true;
      if (Date.now() > deadline) return false;
      await sleep(50);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
