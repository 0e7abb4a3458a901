import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/core/events/event-bus';
import { TraceReader } from '../../../electron/core/deploy/buildkit-trace';
import { DeploymentLog, readDeploymentLog } from '../../../electron/core/logs/deployment-log';
import { JsonLogDecoder } from '../../../electron/core/logs/json-log-tail';
import { LogRing } from '../../../electron/core/logs/log-ring';
import { sinceAfter } from '../../../electron/core/logs/app-logs';

describe('a deployment log', () => {
  it('appends timestamped lines, masks secrets, announces batches and reads back pages', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'berth-log-')), 'd.log');
    const bus = new EventBus();
    const batches: number[] = [];
    bus.on('deployments.log', (b) => batches.push(b.lines.length));
    const log = new DeploymentLog(path, { serverId: 's1', deploymentId: 'd', bus });
    log.mask(['hunter22']);
    log.info('starting');
    log.chunk('out', 'Step 1/2 : pass');
    log.chunk('out', 'word hunter22\nStep 2/2\n');
    log.lines('err', 'failed');
    await log.close();
    expect(readFileSync(path, 'utf8')).not.toContain('hunter22');
    expect(batches.reduce((a, b) => a + b, 0)).toBe(4);
    const page = await readDeploymentLog(path, 2, 2);
    expect(page.lines.map((l) => [l.n, l.stream, l.text])).toEqual([
      [2, 'out', 'Step 1/2 : password ••••••'],
      [3, 'out', 'Step 2/2'],
    ]);
    expect(page).toMatchObject({ nextLine: 4, eof: false });
    expect(page.lines[0]?.at).toMatch(/^\d{4}-/);
  });

  it('reads a missing log file as empty', async () => {
    expect(await readDeploymentLog('/nonexistent/x.log', 1, 10)).toEqual({ lines: [], nextLine: 1, eof: true });
  });
});

describe('a log ring', () => {
  it('keeps only the newest lines and counts what it dropped', () => {
    const ring = new LogRing<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.toArray(2)).toEqual([4, 5]);
    expect(ring.dropped).toBe(2);
  });

  it('drops its oldest lines past its weight, keeping the newest however heavy', () => {
    const ring = new LogRing<string>(10, { weigh: (s) => s.length, maxWeight: 6 });
    for (const s of ['aa', 'bb', 'cc', 'dddd']) ring.push(s);
    expect(ring.toArray()).toEqual(['cc', 'dddd']);
    ring.push('e'.repeat(9));
    expect(ring.toArray()).toEqual(['e'.repeat(9)]);
    expect(ring.dropped).toBe(4);
  });
});

describe('json-file records', () => {
  it('become lines, streams apart, with cut lines joined and escapes read', () => {
    const out: Array<[string, string, string]> = [];
    const d = new JsonLogDecoder();
    const on = (l: { stream: string; text: string; timestamp: string }) => out.push([l.stream, l.text, l.timestamp]);
    d.push('{"log":"plain\\n","stream":"stdout","time":"T1"}\n{"log":"say \\u003chi\\u003e\\n","stream":"std', on);
    d.push('err","time":"T2"}\n{"log":"cut ","stream":"stdout","time":"T3"}\n{"log":"line\\n","stream":"stdout","time":"T4"}\n', on);
    expect(out).toEqual([
      ['stdout', 'plain', 'T1'],
      ['stderr', 'say <hi>', 'T2'],
      ['stdout', 'cut line', 'T4'],
    ]);
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}
function bytes(no: number, value: Buffer): Buffer {
  return Buffer.from([...varint((no << 3) | 2), ...varint(value.length), ...value]);
}

describe('BuildKit trace messages', () => {
  it('turn into one line per started step, its output and its error', () => {
    const vertex = Buffer.concat([bytes(1, Buffer.from('sha256:v1')), bytes(3, Buffer.from('[2/2] RUN make')), bytes(5, Buffer.from([0x08, 0x01])), bytes(7, Buffer.from('exit code: 2'))]);
    const log = Buffer.concat([bytes(1, Buffer.from('sha256:v1')), Buffer.from([0x18, 0x02]), bytes(4, Buffer.from('make: *** error\n'))]);
    const status = Buffer.concat([bytes(1, vertex), bytes(3, log)]).toString('base64');
    const reader = new TraceReader();
    expect(reader.lines(status)).toEqual([
      { stream: 'out', text: '[2/2] RUN make' },
      { stream: 'err', text: 'ERROR [2/2] RUN make: exit code: 2' },
      { stream: 'err', text: 'make: *** error' },
    ]);
    expect(reader.lines(status).filter((l) => l.text === '[2/2] RUN make')).toEqual([]);
  });
});

describe('resuming a follow through the daemon', () => {
  it('starts one nanosecond after the last line delivered', () => {
    expect(sinceAfter('2026-11-25T19:10:00.999999999Z')).toBe(`${Date.parse('2026-11-25T19:10:01Z') / 1000}.000000000`);
    expect(sinceAfter('')).toBeNull();
  });
});
