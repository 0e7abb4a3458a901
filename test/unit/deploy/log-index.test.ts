import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/core/events/event-bus';
import { DeploymentLog, readDeploymentLog } from '../../../electron/core/logs/deployment-log';
import { LogIndex } from '../../../electron/core/logs/log-index';

const lineOf = (n: number) => `2026-12-03T10:00:00.000Z out line ${n} ${'é'.repeat(n % 7)}\n`;
const fileWith = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => lineOf(from + i)).join('');

describe('the index of a deployment log', () => {
  it('finds where a line starts from the nearest indexed line, in bytes, multi-byte text included', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'berth-idx-')), 'd.log');
    writeFileSync(path, fileWith(1, 2_500));
    const index = new LogIndex();
    const at = index.seek(path, 2_345);
    expect(at.line).toBe(2_001);
    expect(readFileSync(path).subarray(at.offset).toString('utf8').split('\n')[0]).toContain('line 2001 ');
    expect(index.seek(path, 1)).toEqual({ offset: 0, line: 1 });
    expect(index.lineCount(path)).toBe(2_500);
  });

  it('follows a file that grows, and starts again on one that was replaced', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'berth-idx-')), 'd.log');
    writeFileSync(path, fileWith(1, 999));
    const index = new LogIndex();
    expect(index.seek(path, 1_500).line).toBe(1);
    appendFileSync(path, fileWith(1_000, 1_600) + '2026-12-03T10:00:00.000Z out half a li');
    expect(index.seek(path, 1_500).line).toBe(1_001);
    expect(index.lineCount(path)).toBe(1_600);
    writeFileSync(path, fileWith(1, 10));
    expect(index.seek(path, 1_500)).toEqual({ offset: 0, line: 1 });
    expect(index.lineCount(path)).toBe(10);
  });

  it('reads a page deep in a long log with the numbers a read from line 1 gives', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'berth-idx-')), 'd.log');
    writeFileSync(path, fileWith(1, 205_000));
    const page = await readDeploymentLog(path, 200_000, 3);
    expect(page.lines.map((l) => [l.n, l.text.split(' ').slice(0, 2).join(' ')])).toEqual([
      [200_000, 'line 200000'],
      [200_001, 'line 200001'],
      [200_002, 'line 200002'],
    ]);
    expect(page).toMatchObject({ nextLine: 200_003, eof: false });
  });

  it('numbers the lines it announces as the file numbers them, after lines already there', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'berth-idx-')), 'd.log');
    writeFileSync(path, fileWith(1, 2));
    const bus = new EventBus();
    const numbers: number[] = [];
    bus.on('deployments.log', (b) => numbers.push(...b.lines.map((l) => l.n)));
    const log = new DeploymentLog(path, { serverId: 's1', deploymentId: 'd', bus });
    log.info('third');
    log.lines('out', 'fourth\nfifth');
    await log.close();
    expect(numbers).toEqual([3, 4, 5]);
    expect((await readDeploymentLog(path, 3, 3)).lines.map((l) => [l.n, l.text])).toEqual([
      [3, 'third'],
      [4, 'fourth'],
      [5, 'fifth'],
    ]);
  });
});
