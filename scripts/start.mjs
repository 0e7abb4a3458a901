// `npm start`: build everything and launch the desktop app, or explain how to run Berth without Electron.
import { spawn, spawnSync } from 'node:child_process';

// Electron fetches its binary on first use; asking in a child keeps a failed download's stack trace off the screen.
function electronBinary() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { encoding: 'utf8' });
  return probe.status === 0 && probe.stdout ? probe.stdout : undefined;
}

const binary = electronBinary();
if (!binary) {
  console.error(
    [
      'Berth could not start the desktop app: the Electron binary is not installed and could not be downloaded.',
      'Run the same app in your browser instead:   npm run web',
      'With internet access, `npm start` downloads Electron by itself the first time.',
    ].join('\n'),
  );
  process.exit(1);
}

const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const child = spawn(binary, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
