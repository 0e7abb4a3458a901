import type { z } from 'zod';
import {
  argumentWord,
  configWord,
  healthPath,
  imageRef,
  ipAddressOrEmpty,
  labelKey,
  noControl,
  noControlButLines,
  volumeSource,
  applyRule as apply,
  type SafetyRule,
} from '../safe-input';

/**
 * The contract's check of every app setting that reaches a config line, a shell command or a Docker label: each
 * rule names the field and says how to fix it. Records already stored are not re-checked (they stay readable); the
 * writers check again before writing.
 */
const rules = {
  folder: { field: 'the source folder', check: noControl, fix: 'use a path without control characters' },
  gitUrl: { field: 'the git URL', check: argumentWord, fix: 'give a URL such as https://host/org/repo.git (no spaces or control characters)' },
  gitRef: { field: 'the git ref', check: argumentWord, fix: 'give a branch, a tag or a commit (no spaces or control characters, not starting with "-")' },
  image: { field: 'the image', check: imageRef, fix: 'give a reference such as ghcr.io/acme/web:1.4' },
  dockerfile: { field: 'the Dockerfile path', check: noControl, fix: 'use a path relative to the build context' },
  context: { field: 'the build context', check: argumentWord, fix: 'use a folder inside the source, such as . or web' },
  target: { field: 'the build target', check: argumentWord, fix: "use a stage name of the Dockerfile" },
  buildArgKey: { field: 'a build arg name', check: (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? null : 'is not a name'), fix: 'use letters, digits and "_", not starting with a digit' },
  buildArgValue: { field: 'a build arg value', check: noControl, fix: 'remove control characters (newline, CR, NUL, tab)' },
  hostIp: { field: 'a published port\'s host IP', check: ipAddressOrEmpty, fix: 'give an address such as 127.0.0.1, or none for every address' },
  volumeSource: { field: 'a volume source', check: volumeSource, fix: 'give a volume name such as data, or an absolute server path such as /srv/data' },
  volumeTarget: { field: 'a volume target', check: noControl, fix: 'give an absolute container path such as /data' },
  command: { field: 'the command', check: noControl, fix: 'remove control characters (newline, CR, NUL, tab); join shell lines with ";"' },
  healthPath: { field: 'the health path', check: healthPath, fix: 'use a URL path such as /health; percent-encode anything else (%20 for a space, %23 for "#")' },
  healthCommand: { field: 'the health command', check: noControl, fix: 'remove control characters (newline, CR, NUL, tab)' },
  domain: { field: 'a domain', check: configWord, fix: 'give a host name such as app.example.com' },
  labelKey: { field: 'a label name', check: labelKey, fix: 'use letters, digits, ".", "-", "_" and "/", such as com.example.team' },
  labelValue: { field: 'a label value', check: noControl, fix: 'remove control characters (newline, CR, NUL, tab)' },
  envValue: { field: 'an env value', check: noControlButLines, fix: 'remove control characters other than newlines and tabs (NUL, CR…)' },
} satisfies Record<string, SafetyRule>;

type Ctx = z.RefinementCtx;

interface SourceLike {
  kind: string;
  path?: string;
  url?: string;
  ref?: string;
  image?: string;
}

interface BuildLike {
  dockerfile?: string | undefined;
  context?: string | undefined;
  target?: string | undefined;
  args?: Record<string, string> | undefined;
}

interface RuntimeLike {
  published?: Array<{ hostIp?: string | undefined }> | undefined;
  volumes?: Array<{ source: string; target: string }> | undefined;
  command?: string[] | null | undefined;
  healthCheck?: { kind: string; path?: string; command?: string[] } | undefined;
  domains?: string[] | undefined;
  labels?: Record<string, string> | undefined;
  env?: Array<{ key: string; value?: string | undefined }> | undefined;
}

export interface AppSettingsLike {
  source?: SourceLike | undefined;
  build?: BuildLike | undefined;
  runtime?: RuntimeLike | undefined;
}

/** Adds one issue per unsafe value; fields that are absent (a patch) are skipped. */
export function refineAppSettings(value: AppSettingsLike, ctx: Ctx): void {
  const { source, build, runtime } = value;
  if (source?.kind === 'folder') apply(ctx, rules.folder, source.path, ['source', 'path']);
  if (source?.kind === 'git') {
    apply(ctx, rules.gitUrl, source.url, ['source', 'url']);
    apply(ctx, rules.gitRef, source.ref, ['source', 'ref']);
  }
  if (source?.kind === 'image') apply(ctx, rules.image, source.image, ['source', 'image']);
  if (build) refineBuild(build, ctx);
  if (runtime) refineRuntime(runtime, ctx);
}

function refineBuild(build: BuildLike, ctx: Ctx): void {
  apply(ctx, rules.dockerfile, build.dockerfile, ['build', 'dockerfile']);
  apply(ctx, rules.context, build.context, ['build', 'context']);
  apply(ctx, rules.target, build.target, ['build', 'target']);
  for (const [key, v] of Object.entries(build.args ?? {})) {
    apply(ctx, rules.buildArgKey, key, ['build', 'args', key], JSON.stringify(key));
    apply(ctx, rules.buildArgValue, v, ['build', 'args', key], key);
  }
}

function refineRuntime(runtime: RuntimeLike, ctx: Ctx): void {
  runtime.published?.forEach((p, i) => apply(ctx, rules.hostIp, p.hostIp, ['runtime', 'published', i, 'hostIp']));
  runtime.volumes?.forEach((v, i) => {
    apply(ctx, rules.volumeSource, v.source, ['runtime', 'volumes', i, 'source']);
    apply(ctx, rules.volumeTarget, v.target, ['runtime', 'volumes', i, 'target']);
  });
  runtime.command?.forEach((word, i) => apply(ctx, rules.command, word, ['runtime', 'command', i]));
  const check = runtime.healthCheck;
  if (check?.kind === 'http') apply(ctx, rules.healthPath, check.path, ['runtime', 'healthCheck', 'path']);
  if (check?.kind === 'command') check.command?.forEach((word, i) => apply(ctx, rules.healthCommand, word, ['runtime', 'healthCheck', 'command', i]));
  runtime.domains?.forEach((d, i) => apply(ctx, rules.domain, d, ['runtime', 'domains', i]));
  for (const [key, v] of Object.entries(runtime.labels ?? {})) {
    apply(ctx, rules.labelKey, key, ['runtime', 'labels', key], JSON.stringify(key));
    apply(ctx, rules.labelValue, v, ['runtime', 'labels', key], key);
  }
  runtime.env?.forEach((v, i) => apply(ctx, rules.envValue, v.value, ['runtime', 'env', i, 'value'], v.key));
}
