import type { Readable } from 'node:stream';

/**
 * Reads Docker's streamed JSON messages (build, pull, push) one at a time as they arrive. Only the current partial
 * line is held, so a long build log never sits in memory. Resolves when the stream ends, rejects if it breaks.
 */
export function eachJsonMessage(stream: Readable, onMessage: (message: Record<string, unknown>) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let partial = '';
    const handle = (line: string): void => {
      const trimmed = line.trim();
      if (trimmed === '') return;
      let message: unknown;
      try {
        message = JSON.parse(trimmed);
      } catch {
        message = { stream: `${trimmed}\n` };
      }
      if (message && typeof message === 'object') onMessage(message as Record<string, unknown>);
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      partial += chunk;
      let nl = partial.indexOf('\n');
      while (nl >= 0) {
        handle(partial.slice(0, nl));
        partial = partial.slice(nl + 1);
        nl = partial.indexOf('\n');
      }
    });
    stream.once('end', () => {
      handle(partial);
      resolve();
    });
    stream.once('error', reject);
    stream.once('close', () => {
      // a destroyed stream (cancel) closes without 'end'
      if (!stream.readableEnded) reject(stream.errored ?? new Error('The Docker stream closed before it ended.'));
    });
  });
}

/** The error a Docker progress message carries, if any (`error` or `errorDetail.message`). */
export function messageError(message: Record<string, unknown>): string | null {
  const detail = message.errorDetail as { message?: unknown } | undefined;
  if (detail && typeof detail.message === 'string') return detail.message;
  if (typeof message.error === 'string') return message.error;
  return null;
}
