import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { createDocker } from '../docker/dockerode';
import type { SshConnection } from './connection';
import { DockerAgent } from './docker-agent';
import type { DockerStreams } from './docker-streams';
import type { ExecOptions, ExecResult, ServerLink } from './server-link';

/** The current connection of a server and the Docker streams opened on it. */
export interface Live {
  connection: SshConnection;
  streams: DockerStreams;
}

/**
 * A server's link as handed to the rest of the engine. It outlives reconnects: each call goes through whichever SSH
 * connection is live at that moment, and fails with SSH_DISCONNECTED while there is none.
 */
export class SshServerLink implements ServerLink {
  readonly remote = true;
  readonly agent: DockerAgent;
  private client: Docker | undefined;

  constructor(
    readonly serverId: string,
    private readonly live: () => Promise<Live>,
    limit: () => number,
  ) {
    this.agent = new DockerAgent({ open: async () => (await this.live()).streams.open(), limit }, serverId);
  }

  /** Made on first use, so a command whose server cannot be reached never loads the Docker client (~75 ms). */
  get docker(): Docker {
    // Every request goes through the agent; host and port only fill the Host header.
    this.client ??= createDocker({ protocol: 'http', host: 'docker', port: 80, agent: this.agent } as Docker.DockerOptions);
    return this.client;
  }

  async exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    return (await this.live()).connection.exec(command, options);
  }

  async forwardOut(host: string, port: number): Promise<Duplex> {
    return (await this.live()).connection.forwardOut(host, port);
  }
}
