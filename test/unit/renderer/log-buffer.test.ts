import { describe, expect, it } from 'vitest';
import { LogBuffer, stripAnsi } from '../../../renderer/src/lib/log-buffer';

describe('the log buffer', () => {
  it('holds a million lines and reads any of them back', () => {
    const buffer = new LogBuffer();
    const batch = Array.from({ length: 1000 }, (_, i) => ({ text: `line ${i}` }));
    for (let i = 0; i < 1000; i++) buffer.append(batch);
    expect(buffer.length).toBe(1_000_000);
    expect(buffer.text(999_999)).toBe('line 999');
  });

  it('bumps its version and tells subscribers once per batch', () => {
    const buffer = new LogBuffer();
    let told = 0;
    buffer.subscribe(() => told++);
    buffer.append([{ text: 'a' }, { text: 'b' }]);
    expect(told).toBe(1);
    expect(buffer.version).toBe(1);
  });

  it('drops lines replayed with a sequence number it already has', () => {
    const buffer = new LogBuffer();
    buffer.append([{ text: 'a', seq: 1 }, { text: 'b', seq: 2 }]);
    expect(buffer.append([{ text: 'b', seq: 2 }, { text: 'c', seq: 3 }])).toBe(1);
    expect(buffer.toText()).toBe('a\nb\nc\n');
  });

  it('searches the text without its colour codes, case-insensitively', () => {
    const buffer = new LogBuffer();
    buffer.append([{ text: '\x1b[31mERROR\x1b[0m: disk' }, { text: 'ok' }, { text: 'an error again' }]);
    expect(buffer.search('error: d')).toEqual([0]);
    expect(buffer.search('ERROR')).toEqual([0, 2]);
  });

  it('drops its oldest lines past capacity and keeps numbering from the first line ever', () => {
    const buffer = new LogBuffer(10_000);
    buffer.appendText(Array.from({ length: 20_000 }, (_, i) => `l${i}`).join('\n'));
    expect(buffer.length).toBeLessThanOrEqual(10_000);
    expect(buffer.firstLineNumber + buffer.length - 1).toBe(20_000);
    expect(buffer.text(buffer.length - 1)).toBe('l19999');
  });

  it('writes timestamps into the saved text only when asked', () => {
    const buffer = new LogBuffer();
    buffer.append([{ text: 'x', ts: '2026-11-25T10:00:01.250Z' }]);
    expect(buffer.toText()).toBe('x\n');
    expect(buffer.toText(true)).toBe('10:00:01.250 x\n');
  });

  it('strips colour codes', () => {
    expect(stripAnsi('\x1b[1;32mgreen\x1b[0m')).toBe('green');
  });
});

describe('searching a growing log', () => {
  it('adds the matches of new lines to the ones it found before', () => {
    const buffer = new LogBuffer();
    buffer.append([{ text: 'error one' }, { text: 'fine' }]);
    expect(buffer.matches('error')).toEqual([0]);
    buffer.append([{ text: 'error two' }]);
    expect(buffer.matches('error')).toEqual([0, 2]);
    buffer.clear();
    buffer.append([{ text: 'error three' }]);
    expect(buffer.matches('error')).toEqual([0]);
  });
});
