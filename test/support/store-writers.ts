import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const writer = fileURLToPath(new URL('./store-writer.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface WriterResult {
  done: number;
  seqs: number[];
}

/** Runs one store-writer process per prefix on the same home (apps and records of server `serverId`), all released at once; resolves with what each did. */
export async function runWriters(home: string, mode: 'apps' | 'records' | 'open', prefixes: readonly string[], count: number, serverId = 'box'): Promise<WriterResult[]> {
  const children = prefixes.map((prefix) => spawn(process.execPath, ['--import', 'tsx', writer, home, mode, prefix, String(count), serverId], { cwd: root }));
  const outputs = children.map((child) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const ready = new Promise<void>((resolve) => {
      const check = (): void => {
        if (stdout.includes('ready\n')) resolve();
        else child.stdout.once('data', check);
      };
      check();
    });
    const ended = new Promise<WriterResult>((resolve, reject) =>
      child.on('close', (code) => {
        const last = stdout.trim().split('\n').at(-1) ?? '';
        if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as WriterResult);
        else reject(new Error(`store writer exited ${code}: ${stderr}`));
      }),
    );
    return { ready, ended };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const child of children) child.stdin.end('go\n');
  return Promise.all(outputs.map((o) => o.ended));
}
