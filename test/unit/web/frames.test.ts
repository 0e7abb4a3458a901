import { describe, expect, it } from 'vitest';
import { CloseCode, encodeMessage, isTooSlow, MAX_BUFFERED_BYTES, readCall } from '../../../electron/web/frames';

const text = (value: string) => Buffer.from(value, 'utf8');

describe('reading a client message', () => {
  it('accepts a call envelope', () => {
    expect(readCall(text('{"t":"call","id":3,"method":"servers.list","input":{}}'), false)).toEqual({
      ok: true,
      call: { t: 'call', id: 3, method: 'servers.list', input: {} },
    });
  });

  it('closes with 1003 on a binary message', () => {
    expect(readCall(text('{"t":"call","id":1,"method":"servers.list"}'), true)).toMatchObject({ ok: false, code: CloseCode.unsupportedData });
  });

  it.each(['', '{', 'not json', '{"t":"call",', '\u0000'])('closes with 1007 on %j, which is not JSON', (raw) => {
    expect(readCall(text(raw), false)).toMatchObject({ ok: false, code: CloseCode.invalidPayload });
  });

  it.each(['null', '42', '[]', '{}', '{"t":"result","id":1}', '{"t":"call","id":-1,"method":"x"}', '{"t":"call","id":1.5,"method":"x"}', '{"t":"call","id":1,"method":""}', `{"t":"call","id":1,"method":"${'m'.repeat(101)}"}`])(
    'closes with 1008 on %j, which is not a call',
    (raw) => {
      expect(readCall(text(raw), false)).toMatchObject({ ok: false, code: CloseCode.policy });
    },
  );

  it('gives a close reason that fits a close frame and never echoes the message', () => {
    for (const raw of ['{', '{}', 'secret-value']) {
      const verdict = readCall(text(raw), false);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) {
        expect(Buffer.byteLength(verdict.reason)).toBeLessThanOrEqual(123);
        expect(verdict.reason).not.toContain('secret');
      }
    }
  });
});

describe('sending to a client', () => {
  it('drops a client only past the buffered limit', () => {
    expect(isTooSlow(MAX_BUFFERED_BYTES)).toBe(false);
    expect(isTooSlow(MAX_BUFFERED_BYTES + 1)).toBe(true);
    expect(isTooSlow(0)).toBe(false);
  });

  it('turns a result JSON cannot write into an INTERNAL error for its call', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const sent = JSON.parse(encodeMessage({ t: 'result', id: 7, ok: true, value: cycle })!);
    expect(sent).toMatchObject({ t: 'result', id: 7, ok: false, error: { code: 'INTERNAL' } });
  });

  it('drops an event JSON cannot write instead of throwing into the engine', () => {
    expect(encodeMessage({ t: 'event', topic: 'servers.changed', data: { n: 1n } })).toBeUndefined();
  });
});
