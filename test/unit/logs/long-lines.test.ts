import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogLineDecoder, type LogLine } from '../../../electron/core/docker/log-lines';
import { EventBus } from '../../../electron/core/events/event-bus';
import { DeploymentLog } from '../../../electron/core/logs/deployment-log';
import { JsonLogDecoder } from '../../../electron/core/logs/json-log-tail';
import { CappedLine, LINE_CAP_BYTES, LineSplitter, prefixWithin } from '../../../electron/core/logs/line-splitter';

const MB50 = 50 * 1024 * 1024;
const CHUNK = 64 * 1024;
const TS = '2026-11-25T18:00:00.000000001Z';
const CUT_NOTE = ` … [${(MB50 - LINE_CAP_BYTES).toLocaleString('en-US')} bytes cut]`;

/** `total` bytes of `x`, handed out in chunks of `size` (one buffer reused: the test itself stays small). */
function* xs(total: number, size = CHUNK): Generator<Buffer> {
  const full = Buffer.alloc(size, 'x');
  for (let sent = 0; sent < total; sent += size) yield full.subarray(0, Math.min(size, total - sent));
}

function frame(stream: 1 | 2, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('a capped line', () => {
  it('keeps a line under the cap as it is', () => {
    const line = new CappedLine(10);
    line.add('ab');
    line.add('cd');
    expect(line.take()).toBe('abcd');
    expect(line.empty).toBe(true);
  });

  it('keeps the first bytes of a longer line and says how many were cut', () => {
    const line = new CappedLine(4);
    line.add('abc');
    line.add('defgh');
    expect(line.take()).toBe('abcd … [4 bytes cut]');
  });

  it('never splits a character at the cap', () => {
    expect(prefixWithin('aé€😀', 3)).toBe('aé');
    expect(prefixWithin('aé€😀', 6)).toBe('aé€');
    expect(prefixWithin('😀😀', 5)).toBe('😀');
    expect(prefixWithin('😀😀', 1)).toBe('');
  });
});

describe('a line split across chunks', () => {
  const euro = Buffer.from('price: 5€\n');
  const at = euro.indexOf(0xe2) + 1;

  it('keeps a multi-byte character whole in the line splitter', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter();
    splitter.push(euro.subarray(0, at), (l) => lines.push(l));
    splitter.push(euro.subarray(at), (l) => lines.push(l));
    expect(lines).toEqual(['price: 5€']);
  });

  it('keeps a multi-byte character whole across Docker frames', () => {
    const decoder = new LogLineDecoder(true);
    const text = Buffer.from(`${TS} price: 5€\n`);
    const cut = text.indexOf(0xe2) + 2;
    expect(decoder.push(frame(1, text.subarray(0, cut)))).toEqual([]);
    expect(decoder.push(frame(1, text.subarray(cut)))).toEqual([{ stream: 'stdout', timestamp: TS, text: 'price: 5€' }]);
  });

  it('keeps a multi-byte character whole in a TTY stream', () => {
    const decoder = new LogLineDecoder(false);
    const text = Buffer.from(`${TS} 5€\n`);
    const cut = text.indexOf(0xe2) + 1;
    expect([...decoder.push(text.subarray(0, cut)), ...decoder.push(text.subarray(cut))].map((l) => l.text)).toEqual(['5€']);
  });

  it('keeps a multi-byte character whole in a json-file log', () => {
    const lines: LogLine[] = [];
    const decoder = new JsonLogDecoder();
    const file = Buffer.from(`{"log":"5€\\n","stream":"stdout","time":"${TS}"}\n`);
    const cut = file.indexOf(0xe2) + 1;
    decoder.push(file.subarray(0, cut), (l) => lines.push(l));
    decoder.push(file.subarray(cut), (l) => lines.push(l));
    expect(lines.map((l) => l.text)).toEqual(['5€']);
  });

  it('keeps a multi-byte character whole in a deployment log', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'berth-log-')), 'd.log');
    const log = new DeploymentLog(path, { serverId: 's1', deploymentId: 'd', bus: new EventBus() });
    log.chunk('out', euro.subarray(0, at));
    log.chunk('out', euro.subarray(at));
    await log.close();
    expect(readFileSync(path, 'utf8')).toMatch(/ out price: 5€\n$/);
  });
});

describe('a 50 MB line fed in 64 KiB chunks', () => {
  it('comes out of the line splitter capped, with the cut noted, at a cost linear in the input', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter();
    let maxHeld = 0;
    for (const chunk of xs(MB50)) {
      splitter.push(chunk, (l) => lines.push(l));
      maxHeld = Math.max(maxHeld, splitter.held);
    }
    splitter.push('\nnext line\n', (l) => lines.push(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('x'.repeat(LINE_CAP_BYTES) + CUT_NOTE);
    expect(lines[1]).toBe('next line');
    expect(maxHeld).toBeLessThanOrEqual(LINE_CAP_BYTES);
    // every character kept is copied once into the line and once out of it; the cut ones are only counted
    expect(splitter.copied).toBeLessThanOrEqual(2 * (LINE_CAP_BYTES + CUT_NOTE.length + 'next line'.length));
  });

  it('costs as many copies per line for many short lines as for one', () => {
    const splitter = new LineSplitter();
    let count = 0;
    const line = Buffer.from(`${'y'.repeat(99)}\n`);
    for (let i = 0; i < 10_000; i++) splitter.push(line, () => (count += 1));
    expect(count).toBe(10_000);
    expect(splitter.copied).toBe(2 * 99 * 10_000);
  });

  it('comes out of Docker frames capped, with the following lines whole', () => {
    const decoder = new LogLineDecoder(true);
    const lines: LogLine[] = [];
    lines.push(...decoder.push(frame(1, Buffer.from(`${TS} `))));
    // one frame per 16 KiB as the daemon sends them, arriving in 64 KiB reads cut anywhere
    for (const chunk of xs(MB50, 16 * 1024)) lines.push(...decoder.push(frame(1, chunk)));
    lines.push(...decoder.push(frame(1, Buffer.from(`\n${TS} after\n`))));
    const prefix = TS.length + 1;
    expect(lines).toHaveLength(2);
    expect(lines[0]?.text).toBe(`${'x'.repeat(LINE_CAP_BYTES - prefix)} … [${(MB50 + prefix - LINE_CAP_BYTES).toLocaleString('en-US')} bytes cut]`);
    expect(lines[1]).toEqual({ stream: 'stdout', timestamp: TS, text: 'after' });
  });

  it('comes out of a json-file log capped, with bounded memory held', () => {
    const decoder = new JsonLogDecoder();
    const lines: LogLine[] = [];
    const record = (log: string): string => `{"log":"${log}","stream":"stdout","time":"${TS}"}\n`;
    const part = Buffer.from(record('x'.repeat(16 * 1024)));
    let maxHeld = 0;
    // the 16 KiB records Docker writes for a long line, read back in 64 KiB chunks cut mid-record
    let carry = Buffer.alloc(0);
    for (let i = 0; i < MB50 / (16 * 1024); i++) {
      carry = Buffer.concat([carry, part]);
      while (carry.length >= CHUNK) {
        decoder.push(carry.subarray(0, CHUNK), (l) => lines.push(l));
        carry = carry.subarray(CHUNK);
        maxHeld = Math.max(maxHeld, decoder.held);
      }
    }
    decoder.push(Buffer.concat([carry, Buffer.from(record('\\n') + record('after\\n'))]), (l) => lines.push(l));
    expect(lines.map((l) => l.text)).toEqual(['x'.repeat(LINE_CAP_BYTES) + CUT_NOTE, 'after']);
    expect(maxHeld).toBeLessThanOrEqual(LINE_CAP_BYTES + CHUNK);
  });
});
