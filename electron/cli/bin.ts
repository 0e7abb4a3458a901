import { main } from './main';

/**
 * The entry of the built command, dist-cli/berth.cjs: bin/berth.mjs calls `start` in a checkout, and the desktop
 * app's launcher runs the file itself with Electron's Node.
 */
export async function start(argv: string[]): Promise<void> {
  await main(argv);
  // Everything the command opened is closed by now; a handle something forgot must not keep a CI job waiting.
  setTimeout(() => process.exit(), 2000).unref();
}

if (require.main === module) void start(process.argv);
