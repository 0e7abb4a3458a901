/** The names behind the build schemas (see build-modes.ts); zod-free so the CLI can list them in its help. */
export const buildModes = ['dockerfile', 'static', 'auto'] as const;

export const stacks = ['node', 'bun', 'python', 'go', 'static'] as const;

/** What a generated Dockerfile starts FROM. `goRuntime` is the final stage of a Go build; `static` must have busybox. */
export const baseImageKeys = [...stacks, 'goRuntime'] as const;
export type BaseImageKey = (typeof baseImageKeys)[number];

export const defaultBaseImages: Record<BaseImageKey, string> = {
  node: 'node:22-slim',
  bun: 'oven/bun:1',
  python: 'python:3.12-slim',
  go: 'golang:1.23',
  goRuntime: 'debian:12-slim',
  static: 'busybox:1.36',
};
