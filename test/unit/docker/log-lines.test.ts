import { describe, expect, it } from 'vitest';
import { LogLineDecoder, ResumePoint, timestampNanos, type LogLine } from '../../../electron/core/docker/log-lines';

function frame(stream: 1 | 2, text: string): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(text)]);
}

const ts = (n: number): string => `2026-11-25T18:00:00.${String(n).padStart(9, '0')}Z`;
const line = (n: number, text = `line ${n}`): LogLine => ({ stream: 'stdout', timestamp: ts(n), text });

describe('log line decoding', () => {
  it('separates stdout and stderr frames into timestamped lines', () => {
    const decoder = new LogLineDecoder(true);
    const lines = decoder.push(Buffer.concat([frame(1, `${ts(1)} hello\n`), frame(2, `${ts(2)} oops\n`)]));
    expect(lines).toEqual([
      { stream: 'stdout', timestamp: ts(1), text: 'hello' },
      { stream: 'stderr', timestamp: ts(2), text: 'oops' },
    ]);
  });

  it('waits for the rest of a frame split across chunks', () => {
    const decoder = new LogLineDecoder(true);
    const whole = frame(1, `${ts(1)} split\n`);
    expect(decoder.push(whole.subarray(0, 5))).toEqual([]);
    expect(decoder.push(whole.subarray(5, 20))).toEqual([]);
    expect(decoder.push(whole.subarray(20))).toEqual([line(1, 'split')]);
  });

  it('joins a line cut across two frames of the same stream', () => {
    const decoder = new LogLineDecoder(true);
    expect(decoder.push(frame(1, `${ts(1)} first ha`))).toEqual([]);
    expect(decoder.push(frame(1, 'lf\n'))).toEqual([line(1, 'first half')]);
  });

  it('reads a TTY container\'s raw stream as stdout and drops carriage returns', () => {
    const decoder = new LogLineDecoder(false);
    expect(decoder.push(Buffer.from(`${ts(1)} tty line\r\n`))).toEqual([line(1, 'tty line')]);
  });

  it('keeps nanosecond precision in timestamps', () => {
    expect(timestampNanos('2026-11-25T18:00:00.000000001Z')! - timestampNanos('2026-11-25T18:00:00Z')!).toBe(1n);
    expect(timestampNanos('2026-11-25T19:00:00.5+01:00')).toBe(timestampNanos('2026-11-25T18:00:00.500000000Z'));
    expect(timestampNanos('yesterday')).toBeNull();
  });
});

describe('resume point', () => {
  it('has no since before the first line', () => {
    expect(new ResumePoint().since()).toBeUndefined();
  });

  it('resumes from the last timestamp in seconds.nanoseconds', () => {
    const resume = new ResumePoint();
    resume.admit({ stream: 'stdout', timestamp: '2026-11-25T18:00:00.000000042Z', text: 'x' });
    expect(resume.since()).toBe(`${Date.parse('2026-11-25T18:00:00Z') / 1000}.000000042`);
  });

  it('skips the lines at the last timestamp that were already delivered, once', () => {
    const resume = new ResumePoint();
    [line(1), line(2), line(2, 'second at 2')].forEach((l) => resume.admit(l));
    resume.rewind();
    const replay = [line(2), line(2, 'second at 2'), line(2, 'third at 2'), line(3)];
    expect(replay.filter((l) => resume.admit(l)).map((l) => l.text)).toEqual(['third at 2', 'line 3']);
  });

  it('admits everything when nothing at the last timestamp comes back', () => {
    const resume = new ResumePoint();
    resume.admit(line(5));
    resume.rewind();
    expect([line(6), line(7)].every((l) => resume.admit(l))).toBe(true);
  });
});
