import { defaultBaseImages, type BaseImageKey } from '../../../shared/api/build-mode-names';
import type { BaseImages } from '../../../shared/api/build-modes';
import type { NodeApp } from './node-detect';
import { runScript } from './node-detect';
import type { StartCommand } from './source-facts';
import type { Detected, GoApp, PythonApp } from './stack-detect';

export interface GenerateOptions {
  baseImages: BaseImages;
  /** The port the app listens on (the app's HTTP port): given to it as PORT. */
  port: number;
  /** BuildKit cache mounts keep package caches between builds; the classic builder has none. */
  cacheMounts: boolean;
}

const HEADER = '# Written by Berth for the stack it found. Edit it and save it in the app to build with your version.';

function image(options: GenerateOptions, key: BaseImageKey): string {
  return options.baseImages[key] ?? defaultBaseImages[key];
}

function cache(options: GenerateOptions, ...targets: string[]): string {
  return options.cacheMounts ? targets.map((target) => `--mount=type=cache,target=${target} `).join('') : '';
}

function cmd(start: StartCommand): string {
  return 'exec' in start ? `CMD ${JSON.stringify(start.exec)}` : `CMD ${JSON.stringify(['/bin/sh', '-c', start.shell])}`;
}

const INSTALL: Record<NodeApp['packageManager'], { locked: string; unlocked: string; cache: string; corepack: boolean }> = {
  npm: { locked: 'npm ci', unlocked: 'npm install', cache: '/root/.npm', corepack: false },
  pnpm: { locked: 'pnpm install --frozen-lockfile', unlocked: 'pnpm install', cache: '/root/.local/share/pnpm/store', corepack: true },
  yarn: { locked: 'yarn install --frozen-lockfile', unlocked: 'yarn install', cache: '/usr/local/share/.cache/yarn', corepack: true },
  bun: { locked: 'bun install --frozen-lockfile', unlocked: 'bun install', cache: '/root/.bun/install/cache', corepack: false },
};

function nodeLines(app: NodeApp, options: GenerateOptions): string[] {
  const install = INSTALL[app.packageManager];
  const lines = [`FROM ${image(options, app.stack)}`, 'WORKDIR /app'];
  if (install.corepack) lines.push('RUN corepack enable');
  if (app.install) {
    const command = app.lockfile === null ? install.unlocked : app.yarnBerry ? 'yarn install --immutable' : install.locked;
    // copying the manifests alone first keeps the install layer while only the code changes
    lines.push(app.workspaces ? 'COPY . .' : `COPY ${['package.json', ...(app.lockfile ? [app.lockfile] : [])].join(' ')} ./`);
    lines.push(`RUN ${cache(options, install.cache)}${command}`);
  }
  if (!app.install || !app.workspaces) lines.push('COPY . .');
  if (app.build) lines.push(`RUN ${runScript(app.packageManager, 'build').join(' ')}`);
  if (app.install && app.packageManager === 'npm') lines.push('RUN npm prune --omit=dev');
  lines.push(`ENV NODE_ENV=production PORT=${options.port}`);
  return lines;
}

function pythonLines(app: PythonApp, options: GenerateOptions): string[] {
  const pip = cache(options, '/root/.cache/pip');
  const lines = [`FROM ${image(options, 'python')}`, 'WORKDIR /app', `ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PORT=${options.port}`];
  if (app.install === 'requirements') lines.push('COPY requirements.txt ./', `RUN ${pip}pip install -r requirements.txt`, 'COPY . .');
  else lines.push('COPY . .', `RUN ${pip}pip install .`);
  return lines;
}

function goLines(app: GoApp, options: GenerateOptions): string[] {
  const modules = cache(options, '/go/pkg/mod');
  return [
    `FROM ${image(options, 'go')} AS build`,
    'WORKDIR /src',
    `COPY ${app.goSum ? 'go.mod go.sum' : 'go.mod'} ./`,
    `RUN ${modules}go mod download`,
    'COPY . .',
    `RUN ${cache(options, '/go/pkg/mod', '/root/.cache/go-build')}CGO_ENABLED=0 go build -o /out/app ${app.main}`,
    '',
    `FROM ${image(options, 'goRuntime')}`,
    'COPY --from=build /out/app /usr/local/bin/app',
    `ENV PORT=${options.port}`,
  ];
}

/** The Dockerfile serving a folder of files with busybox httpd: any image with busybox on its PATH will do. */
export function staticDockerfile(options: Pick<GenerateOptions, 'baseImages' | 'port'>): string {
  return [
    '# Written by Berth: the build context served as files by busybox httpd.',
    `FROM ${options.baseImages.static ?? defaultBaseImages.static}`,
    'COPY . /www',
    `EXPOSE ${options.port}`,
    `CMD ["busybox", "httpd", "-f", "-v", "-p", "${options.port}", "-h", "/www"]`,
    '',
  ].join('\n');
}

/** The start command the stack needs; null when none was found, which the plan reports instead of guessing. */
export function startOf(app: Detected): StartCommand | null {
  if (app.stack === 'go') return { exec: ['/usr/local/bin/app'] };
  if (app.stack === 'static') return null;
  return app.start;
}

export function generateDockerfile(app: Detected, options: GenerateOptions): string {
  if (app.stack === 'static') return staticDockerfile(options);
  const body = app.stack === 'python' ? pythonLines(app, options) : app.stack === 'go' ? goLines(app, options) : nodeLines(app, options);
  const start = startOf(app);
  return [HEADER, ...body, `EXPOSE ${options.port}`, ...(start ? [cmd(start)] : []), ''].join('\n');
}
