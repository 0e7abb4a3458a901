/**
 * `npm run bench -- logs`. Reading one page of a deployment log deep in a long build log, as the log viewer does
 * when it scrolls or resumes. Prints name=value lines, each the median of BENCH_ROUNDS reads:
 * - `log_page_scan_200k_ms`: the baseline, a page at line 200,000 found by reading the file from line 1;
 * - `log_page_200k_first_ms`: that page read first, the line index being built on the way;
 * - `log_page_200k_ms`: the same page through the engine's `readDeploymentLog` once the index exists;
 * - `log_page_2_ms`: a page at line 2, what every page should cost.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readDeploymentLog } from '../electron/core/logs/deployment-log';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const LINES = 250_000;
const PAGE = 10_000;

function print(name: string, value: number): void {
  process.stdout.write(`${name}=${Number(value.toFixed(2))}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function scanFromStart(path: string, fromLine: number, limit: number): Promise<number> {
  const reader = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  let taken = 0;
  for await (const _line of reader) {
    n++;
    if (n >= fromLine && ++taken >= limit) break;
  }
  reader.close();
  return taken;
}

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-logs-'));
const path = join(dir, 'build.log');
writeFileSync(path, Array.from({ length: LINES }, (_, i) => `2026-12-03T10:00:00.000Z out #12 [${i % 9}/9] RUN npm ci: step output line ${i + 1}\n`).join(''));
const scan: number[] = [];
const indexed: number[] = [];
const near: number[] = [];
const first = await timed(() => readDeploymentLog(path, 200_000, PAGE));
for (let round = 0; round < ROUNDS; round++) {
  scan.push(await timed(() => scanFromStart(path, 200_000, PAGE)));
  indexed.push(await timed(() => readDeploymentLog(path, 200_000, PAGE)));
  near.push(await timed(() => readDeploymentLog(path, 2, PAGE)));
}
print('log_page_scan_200k_ms', median(scan));
print('log_page_200k_first_ms', first);
print('log_page_200k_ms', median(indexed));
print('log_page_2_ms', median(near));
rmSync(dir, { recursive: true, force: true });
