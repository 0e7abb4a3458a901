import type { Duplex } from 'node:stream';
import type { HealthCheck } from '../../../shared/api/apps';
import { BerthError } from '../../../shared/errors';
import { healthPath } from '../../../shared/safe-input';
import type { ServerLink } from '../ssh/server-link';
import { messageOf } from './docker-util';

export interface ProbeTarget {
  containerId: string;
  name: string;
  /** The container's address on the Berth network, reached from the server through the link. */
  address: string;
  port: number;
}

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

/**
 * One health probe, run by Berth from the server's side of the SSH link: an HTTP request or a TCP connect to the
 * container's address (so the image needs no curl), or a command through `docker exec`.
 */
export async function probeOnce(link: ServerLink, target: ProbeTarget, check: HealthCheck): Promise<ProbeResult> {
  const port = (check.kind === 'http' || check.kind === 'tcp' ? check.port : undefined) ?? target.port;
  try {
    switch (check.kind) {
      case 'http':
        return await within(check.timeoutMs, (signal) => probeHttp(link, target.address, port, check.path, signal));
      case 'tcp':
        return await within(check.timeoutMs, (signal) => probeTcp(link, target.address, port, signal));
      case 'command':
        return await within(check.timeoutMs, () => probeCommand(link, target.containerId, check.command));
      case 'none':
        return { ok: true, detail: 'no health check' };
    }
  } catch (error) {
    return { ok: false, detail: messageOf(error) };
  }
}

/** A tunnel to the target, closed again when the probe's time is up, even if it opens only after that. */
async function openTunnel(link: ServerLink, address: string, port: number, signal: AbortSignal): Promise<Duplex> {
  const opening = link.forwardOut(address, port);
  const socket = await new Promise<Duplex>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    opening.then(
      (s) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) s.destroy();
        resolve(s);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
  if (signal.aborted) throw signal.reason as Error;
  return socket;
}

async function probeHttp(link: ServerLink, address: string, port: number, path: string, signal: AbortSignal): Promise<ProbeResult> {
  // the path goes into the request line: one that could end it or add a header is never sent
  const unsafe = healthPath(path);
  if (unsafe !== null) return { ok: false, detail: `GET ${JSON.stringify(path)} not sent: the health path ${unsafe}` };
  const socket = await openTunnel(link, address, port, signal);
  return new Promise((resolve, reject) => {
    let head = '';
    // an app that accepts and never answers must not keep the SSH channel open past the probe's timeout
    const onAbort = (): void => {
      socket.destroy();
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (result: ProbeResult): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      head += chunk;
      const eol = head.indexOf('\r\n');
      if (eol < 0 && head.length < 1024) return;
      const statusLine = head.slice(0, eol < 0 ? 80 : eol);
      const code = Number(/^HTTP\/\d\.\d (\d{3})/.exec(statusLine)?.[1]);
      done({ ok: code >= 200 && code < 400, detail: `GET ${path} → ${Number.isFinite(code) ? code : statusLine}` });
    });
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    socket.once('close', () => done({ ok: false, detail: `GET ${path}: connection closed without an answer` }));
    socket.write(`GET ${path} HTTP/1.0\r\nHost: localhost\r\nUser-Agent: berth-health\r\nConnection: close\r\n\r\n`);
  });
}

async function probeTcp(link: ServerLink, address: string, port: number, signal: AbortSignal): Promise<ProbeResult> {
  const socket = await openTunnel(link, address, port, signal);
  socket.destroy();
  return { ok: true, detail: `TCP ${port} open` };
}

async function probeCommand(link: ServerLink, containerId: string, command: string[]): Promise<ProbeResult> {
  const exec = await link.docker.getContainer(containerId).exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  let output = '';
  stream.on('data', (chunk: Buffer) => {
    // keep the tail only: a probe's output is for the log line, not for storage
    output = (output + chunk.toString('utf8')).slice(-500);
  });
  await new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  const info = await exec.inspect();
  // drop the 8-byte frame headers of Docker's multiplexed stream
  const printable = [...output].filter((ch) => ch >= ' ' || ch === '\n').join('').trim().split('\n').pop() ?? '';
  return { ok: info.ExitCode === 0, detail: `${command.join(' ')} exited ${info.ExitCode}${printable ? `: ${printable}` : ''}` };
}

/** Runs a probe with a deadline: the signal it gets aborts when the time is up, so the probe closes what it opened. */
async function within<T>(ms: number, probe: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ms} ms`)), ms);
  try {
    return await Promise.race([
      probe(controller.signal),
      new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true })),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface WaitHealthyOptions {
  signal: AbortSignal;
  onProbe(target: ProbeTarget, result: ProbeResult, attempt: number): void;
}

/** Probes are this close together for the first seconds after start, so a fast app goes live fast. */
const EAGER_MS = 25;
const EAGER_FOR_MS = 3000;

/**
 * Probes a new container until it answers healthy: every 25 ms for the first seconds, then every interval. It fails
 * when the container exits, or when probes still fail once the start period plus `retries` intervals have passed.
 */
export async function waitHealthy(link: ServerLink, target: ProbeTarget, check: HealthCheck, options: WaitHealthyOptions): Promise<ProbeResult> {
  const started = Date.now();
  const deadline = started + check.startPeriodMs + check.retries * check.intervalMs;
  for (let attempt = 1; ; attempt++) {
    if (options.signal.aborted) throw new BerthError('CANCELLED', 'Cancelled during the health check.');
    const result = await probeOnce(link, target, check);
    options.onProbe(target, result, attempt);
    if (result.ok) return result;
    const state = await link.docker.getContainer(target.containerId).inspect().then((i) => i.State);
    if (!state.Running) {
      throw new BerthError('HEALTH_CHECK_FAILED', `${target.name} exited with code ${state.ExitCode} before it became healthy (last probe: ${result.detail}).`, {
        exitCode: state.ExitCode,
        lastProbe: result.detail,
      });
    }
    if (Date.now() >= deadline) {
      throw new BerthError('HEALTH_CHECK_FAILED', `${target.name} did not become healthy: ${result.detail} (${attempt} probes over ${Math.round((Date.now() - started) / 1000)} s).`, {
        lastProbe: result.detail,
        attempts: attempt,
      });
    }
    await abortableSleep(Date.now() - started < EAGER_FOR_MS ? Math.min(EAGER_MS, check.intervalMs) : check.intervalMs, options.signal);
  }
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
