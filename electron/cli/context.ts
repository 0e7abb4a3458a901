import { createInterface } from 'node:readline/promises';
import type { HostKeyPrompt } from '../../shared/api/servers';
import type { Input, Method, Output as MethodOutput } from '../../shared/api';
import { BerthError } from '../../shared/errors';
import { createEngine, type Engine } from '../core/engine';
import type { CallContext } from '../core/rpc/dispatcher';
import { Output } from './output';

export interface GlobalOptions {
  home?: string;
  json?: boolean;
  acceptHostKey?: string[];
}

/**
 * One CLI invocation: the engine in-process on the chosen home (the desktop app's by default), called through the
 * same dispatcher, schemas and error codes as the window.
 */
export class CliContext {
  readonly engine: Engine;
  readonly out: Output;
  private readonly abort = new AbortController();
  private readonly ctx: CallContext;

  constructor(readonly options: GlobalOptions) {
    this.engine = createEngine(options.home ? { home: options.home } : {});
    this.out = new Output(process.stdout, process.stderr, Boolean(options.json));
    this.ctx = { clientId: 'cli', signal: this.abort.signal, emit: () => undefined };
    this.engine.bus.on('hostKeys.prompt', (prompt) => void this.answerHostKey(prompt));
  }

  async call<M extends Method>(method: M, input: Input<M>): Promise<MethodOutput<M>> {
    const outcome = await this.engine.dispatcher.call(method, input, this.ctx);
    if (!outcome.ok) throw BerthError.fromEnvelope(outcome.error);
    return outcome.value as MethodOutput<M>;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.engine.close();
  }

  /** A TTY asks; anything else refuses unless the fingerprint was pinned with --accept-host-key. */
  private async answerHostKey(prompt: HostKeyPrompt): Promise<void> {
    const pinned = this.options.acceptHostKey ?? [];
    let accept = pinned.includes(prompt.fingerprint);
    if (!accept && process.stdin.isTTY && process.stderr.isTTY) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(
        `The authenticity of ${prompt.host}:${prompt.port} can't be established.\n${prompt.keyType} key fingerprint is ${prompt.fingerprint}.\nTrust it and connect? [y/N] `,
      );
      rl.close();
      accept = /^y(es)?$/i.test(answer.trim());
    } else if (!accept) {
      this.out.note(
        `Unknown host key for ${prompt.host}:${prompt.port}: ${prompt.fingerprint}.\nCheck it on the server (ssh-keygen -lf /etc/ssh/ssh_host_${prompt.keyType.replace(/^ssh-/, '')}_key.pub) and pass --accept-host-key ${prompt.fingerprint} to trust it.`,
      );
    }
    await this.call('hostKeys.answer', { promptId: prompt.promptId, accept });
  }
}
