import type { Duplex } from 'node:stream';
import { BerthError } from '../../../shared/errors';
import type { SshConnection } from './connection';
import { dockerSocketError } from './errors';
import { shellQuote } from './remote-exec';

/** Streamlocal channels cost sshd nothing per session; dial-stdio ones are sessions, capped by MaxSessions. */
const streamlocalLimit = 64;
const dialStdioLimit = 4;

/**
 * Opens byte streams to the server's Docker socket over one SSH connection: forwarded unix-socket channels when
 * sshd allows them, `docker system dial-stdio` otherwise. When the socket cannot be opened it asks the server why,
 * so the user reads "no socket", "not in the docker group" or "daemon down" rather than "open failed".
 */
export class DockerStreams {
  private mode: 'streamlocal' | 'dial-stdio' = 'streamlocal';
  private diagnosis: Promise<void> | undefined;

  constructor(
    private readonly connection: SshConnection,
    private readonly socketPath: string,
    private readonly server: string,
  ) {}

  get limit(): number {
    return this.mode === 'streamlocal' ? streamlocalLimit : dialStdioLimit;
  }

  async open(): Promise<Duplex> {
    if (this.mode === 'dial-stdio') return this.connection.execStream(`DOCKER_HOST=${shellQuote(`unix://${this.socketPath}`)} docker system dial-stdio`);
    try {
      return await this.connection.openStreamLocal(this.socketPath);
    } catch (error) {
      if (this.connection.closed || !(error instanceof BerthError) || error.code === 'SSH_DISCONNECTED') throw error;
      this.diagnosis ??= this.diagnose().finally(() => {
        this.diagnosis = undefined;
      });
      await this.diagnosis;
      return this.open();
    }
  }

  /** Throws the reason the socket cannot be used, or switches to dial-stdio when only forwarding is refused. */
  private async diagnose(): Promise<void> {
    const path = shellQuote(this.socketPath);
    const user = this.connection.hop.user;
    const check = await this.connection.exec(
      `p=${path}; if [ ! -S "$p" ]; then echo missing; elif [ ! -r "$p" ] || [ ! -w "$p" ]; then echo denied; else echo present; fi`,
      { timeoutMs: 15_000 },
    );
    const verdict = check.stdout.trim();
    if (verdict === 'missing') throw dockerSocketError('missing', this.socketPath, this.server, user);
    if (verdict === 'denied') throw dockerSocketError('denied', this.socketPath, this.server, user);
    const cli = await this.connection.exec(`DOCKER_HOST=${shellQuote(`unix://${this.socketPath}`)} docker version --format '{{.Server.APIVersion}}'`, {
      timeoutMs: 15_000,
    });
    if (cli.code === 0) {
      this.mode = 'dial-stdio';
      return;
    }
    if (cli.code === 127) throw dockerSocketError('forwarding-refused', this.socketPath, this.server, user);
    if (/permission denied/i.test(cli.stderr)) throw dockerSocketError('denied', this.socketPath, this.server, user);
    if (/cannot connect|connection refused|daemon running/i.test(cli.stderr)) throw dockerSocketError('daemon-down', this.socketPath, this.server, user);
    throw new BerthError('DOCKER_ERROR', `Docker on ${this.server} cannot be reached through ${this.socketPath}: ${cli.stderr.trim() || `exit ${cli.code}`}.`);
  }
}
