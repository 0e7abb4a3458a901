import { BerthError, toEnvelope } from '../../../shared/errors';
import { contract, isMethod, type Method, type Output, type ParsedInput, type Topic, type EventData } from '../../../shared/api';
import type { Outcome } from '../../../shared/rpc';

/** Who is calling: one renderer window, one browser tab, or the CLI. */
export interface CallContext {
  clientId: string;
  /** Aborted when the client goes away, so follows and subscriptions end with it. */
  signal: AbortSignal;
  /** Sends an event to this client only (log lines of its own follow, for example). */
  emit<T extends Topic>(topic: T, data: EventData<T>): void;
}

export type Handler<M extends Method> = (input: ParsedInput<M>, ctx: CallContext) => Promise<Output<M>>;
export type Handlers = { [M in Method]: Handler<M> };
export type HandlerGroup<M extends Method> = { [K in M]: Handler<K> };

/**
 * The single entry point of every transport: checks the method exists, parses the input with the contract's schema,
 * runs the handler and wraps the result (or a coded error) in the wire envelope. Nothing throws past it.
 */
export class Dispatcher {
  constructor(private readonly handlers: Handlers) {}

  async call(method: string, input: unknown, ctx: CallContext): Promise<Outcome> {
    try {
      if (!isMethod(method)) throw new BerthError('UNKNOWN_METHOD', `There is no method "${method}".`);
      const spec = contract[method];
      const parsed = spec.input.safeParse(input ?? {});
      if (!parsed.success) {
        throw new BerthError('INVALID_INPUT', describeIssues(method, parsed.error.issues), {
          issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
        });
      }
      const handler = this.handlers[method] as Handler<Method>;
      const value = await handler(parsed.data as ParsedInput<Method>, ctx);
      return { ok: true, value: spec.output.parse(value) };
    } catch (error) {
      return { ok: false, error: toEnvelope(error) };
    }
  }
}

function describeIssues(method: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const first = issues[0];
  if (!first) return `Invalid input for ${method}.`;
  const where = first.path.length > 0 ? first.path.map(String).join('.') : 'input';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `Invalid input for ${method}: ${where}: ${first.message}${more}.`;
}
