import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline/promises';
import type { HostKeyPrompt } from '../../shared/api/servers';
import type { StoreWarning } from '../../shared/api/store';
import type { EventData, Input, Method, Output as MethodOutput, Topic } from '../../shared/api';
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
  /** Whether a person can answer questions: stdin and stderr are both a terminal. */
  readonly interactive: boolean;
  private readonly abort = new AbortController();
  private readonly ctx: CallContext;
  /** Events the engine sends to this caller only (the lines of its own log follow). */
  private readonly own = new EventEmitter();

  constructor(readonly options: GlobalOptions) {
    this.engine = createEngine({ ...(options.home ? { home: options.home } : {}), acceptHostKeys: options.acceptHostKey ?? [] });
    this.out = new Output(process.stdout, process.stderr, Boolean(options.json));
    // a quarantined record or a restored backup is said on every command that finds it, never silently skipped
    for (const warning of this.engine.storeWarnings()) this.warn(warning);
    this.engine.bus.on('store.warning', (warning) => this.warn(warning));
    this.interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
    this.own.setMaxListeners(0);
    this.ctx = {
      clientId: 'cli',
      signal: this.abort.signal,
      emit: (topic, data) => this.own.emit(topic, data),
    };
    // Without a terminal nobody can answer: an unknown host fails at once with its fingerprint to pin.
    this.engine.pool.hostKeys.setInteractive(this.interactive);
    if (this.interactive) this.engine.bus.on('hostKeys.prompt', (prompt) => void this.answerHostKey(prompt));
  }

  private warn(warning: StoreWarning): void {
    this.out.note(`${this.out.paintErr('yellow', 'warning')} ${warning.message} ${this.out.paintErr('grey', `(${warning.code})`)}`);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  async call<M extends Method>(method: M, input: Input<M>): Promise<MethodOutput<M>> {
    const outcome = await this.engine.dispatcher.call(method, input, this.ctx);
    if (!outcome.ok) throw BerthError.fromEnvelope(outcome.error);
    return outcome.value as MethodOutput<M>;
  }

  /** For methods the contract may not have yet: called by name, the answer checked by the caller. */
  async callByName(method: string, input: unknown): Promise<unknown> {
    const outcome = await this.engine.dispatcher.call(method, input, this.ctx);
    if (!outcome.ok) throw BerthError.fromEnvelope(outcome.error);
    return outcome.value;
  }

  /** Engine-wide events and those sent to this caller alike; returns an unsubscribe. */
  on<T extends Topic>(topic: T, listener: (data: EventData<T>) => void): () => void {
    const off = this.engine.bus.on(topic, listener);
    const own = listener as (data: unknown) => void;
    this.own.on(topic, own);
    return () => {
      off();
      this.own.off(topic, own);
    };
  }

  /** Trusts this fingerprint the next time a host presents it (and only that key), as --accept-host-key does. */
  trustHostKey(fingerprint: string): void {
    this.engine.pool.hostKeys.trustFingerprint(fingerprint);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.engine.close();
  }

  /** Asks a yes/no question on the terminal; no is the default. Only call it when `interactive`. */
  async confirm(question: string): Promise<boolean> {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(`${question} [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  }

  private async answerHostKey(prompt: HostKeyPrompt): Promise<void> {
    const accept = await this.confirm(
      `The authenticity of ${prompt.host}:${prompt.port} can't be established.\n` +
        `${prompt.keyType} key fingerprint is ${prompt.fingerprint}.\n` +
        `Trust it and connect?`,
    );
    await this.call('hostKeys.answer', { promptId: prompt.promptId, accept });
  }
}
