import { Agent, type ClientRequest, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import { inspect } from 'node:util';

export interface StreamSource {
  /** A fresh byte stream to the Docker API (an SSH channel); rejects with a coded error. */
  open(): Promise<Duplex>;
  /** How many streams may be open at once right now. */
  limit(): number;
}

/** Holds a slot in `sockets` while a stream is being opened, so Node counts it against maxSockets. */
const pendingSlot = { destroy(): void {} };

function noop(): void {}

/**
 * The http.Agent dockerode talks through: each "socket" is a channel on the server's one SSH connection, reused
 * across requests (keep-alive). Node only enforces maxSockets for sockets it already holds, and ours arrive
 * asynchronously, so a placeholder is counted while each one opens (as agent-base does).
 */
export class DockerAgent extends Agent {
  constructor(
    private readonly source: StreamSource,
    private readonly label: string,
  ) {
    super({ keepAlive: true, maxSockets: source.limit(), scheduling: 'lifo' });
  }

  override createConnection(options: ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void): undefined {
    this.maxSockets = this.source.limit();
    const name = this.getName(options);
    const sockets = this.sockets as Record<string, unknown[] | undefined>;
    (sockets[name] ??= []).push(pendingSlot);
    this.source.open().then(
      (stream) => {
        // Opening may have switched the source to a smaller limit (dial-stdio): apply it before more sockets come.
        this.maxSockets = this.source.limit();
        this.dropSlot(name);
        callback?.(null, decorate(stream));
      },
      (error: Error) => {
        this.dropSlot(name);
        callback?.(error, undefined as unknown as Duplex);
        // Requests queued behind this one would wait for a socket that is not coming.
        this.failQueued(error, name);
      },
    );
    return undefined;
  }

  /** Fails requests still waiting for a socket, e.g. when the SSH connection they were queued on has dropped. */
  failQueued(error: Error, only?: string): void {
    const requests = this.requests as Record<string, ClientRequest[] | undefined>;
    for (const name of Object.keys(requests)) {
      if (only !== undefined && name !== only) continue;
      const queued = requests[name] ?? [];
      delete requests[name];
      // What Node's agent does when it cannot create a socket: the request then emits this error.
      for (const request of queued) (request as unknown as { onSocket(socket: null, error: Error): void }).onSocket(null, error);
    }
  }

  // docker-modem deep-inspects its request options, agent included, on every call: keep that cheap.
  [inspect.custom](): string {
    return `DockerAgent(${this.label})`;
  }

  private dropSlot(name: string): void {
    const list = (this.sockets as Record<string, unknown[] | undefined>)[name];
    const index = list?.indexOf(pendingSlot) ?? -1;
    if (list && index !== -1) list.splice(index, 1);
  }
}

/** http expects net.Socket's knobs; an SSH channel has no TCP options of its own. */
function decorate(stream: Duplex): Duplex {
  const socket = stream as Duplex & Record<string, unknown>;
  for (const method of ['setKeepAlive', 'setNoDelay', 'setTimeout', 'ref', 'unref']) {
    if (typeof socket[method] !== 'function') socket[method] = noop;
  }
  socket.destroySoon = () => stream.destroy();
  // A channel whose daemon went away (Docker restarted) only ends; destroyed, it leaves the keep-alive pool at once
  // instead of failing the next request that would have picked it.
  stream.once('end', () => stream.destroy());
  return stream;
}
