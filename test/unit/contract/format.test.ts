import { describe, expect, it } from 'vitest';
import { describeHealth, describeSource, duration, shortDuration, shortImage } from '../../../shared/format';

describe('how ids, durations, sources and health checks read everywhere', () => {
  it('shortens image ids as docker images does, and leaves tags alone', () => {
    expect(shortImage(`sha256:${'0123456789ab'.repeat(5)}cdef`)).toBe('0123456789ab');
    expect(shortImage('web:12')).toBe('web:12');
    expect(shortImage(null)).toBe('—');
  });

  it('prints a run as a clock and a phase at a useful precision', () => {
    expect(duration(41_000)).toBe('0:41');
    expect(duration(3_725_000)).toBe('1:02:05');
    expect(duration(null)).toBe('—');
    expect(shortDuration(850)).toBe('850 ms');
    expect(shortDuration(2_440)).toBe('2.4 s');
    expect(shortDuration(12_340)).toBe('12 s');
    expect(shortDuration(125_000)).toBe('2:05');
  });

  it('describes health checks of every kind with all of their timing', () => {
    const timing = { intervalMs: 1000, timeoutMs: 3000, retries: 5, startPeriodMs: 0 };
    expect(describeHealth({ kind: 'http', path: '/up', port: 9000, ...timing })).toBe('GET /up on :9000, every 1.0 s, timeout 3.0 s, 5 retries, start period 0 ms');
    expect(describeHealth({ kind: 'tcp', ...timing })).toMatch(/^TCP, every/);
    expect(describeHealth({ kind: 'command', command: ['pg_isready'], ...timing })).toMatch(/^pg_isready, every/);
    expect(describeHealth({ kind: 'none', ...timing })).toBe('none (running is healthy)');
  });

  it('names a source with its ref, and only says that credentials are set', () => {
    expect(describeSource({ kind: 'git', url: 'https://git.example.com/shop.git', ref: 'main', withCredentials: true })).toBe('git https://git.example.com/shop.git @ main (with sealed credentials)');
    expect(describeSource({ kind: 'image', image: 'nginx:1.27', pull: 'missing' })).toBe('image nginx:1.27');
    expect(describeSource({ kind: 'image', image: 'nginx:latest', pull: 'always' })).toBe('image nginx:latest (pulled on every deploy)');
    expect(describeSource({ kind: 'image', image: 'nginx:1.27', pull: 'never' })).toBe('image nginx:1.27 (never pulled)');
  });
});
