/** What detection looks at: a listing of the build context and the text of a few files in it. */
export interface SourceFacts {
  /** Files (not folders) relative to the build context, `/`-separated, at most LISTING_DEPTH levels deep. */
  files: readonly string[];
  /** The text of each of FACT_FILES the context has. */
  contents: Readonly<Record<string, string>>;
}

export const FACT_FILES = ['package.json', 'Procfile', 'pyproject.toml', 'go.mod'] as const;
/** Deep enough for `cmd/<name>/main.go`; a whole tree is not needed to tell a stack. */
export const LISTING_DEPTH = 3;
/** A listing stops here: a folder of a million files is not read whole to find its package.json. */
export const LISTING_LIMIT = 5000;
/** The files read are manifests: anything larger is not one. */
export const FACT_FILE_LIMIT = 256 * 1024;

/** How a container starts: an argv (exec form) or a line for `/bin/sh -c` (a Procfile's web: line). */
export type StartCommand = { exec: string[] } | { shell: string };

export function has(facts: SourceFacts, path: string): boolean {
  return facts.files.includes(path);
}

export function hasAny(facts: SourceFacts, paths: readonly string[]): string | null {
  return paths.find((path) => has(facts, path)) ?? null;
}

/** The `web:` line of a Procfile, or null when there is none. */
export function procfileWeb(text: string | undefined): string | null {
  if (text === undefined) return null;
  for (const line of text.split(/\r?\n/)) {
    const match = /^web\s*:\s*(.+?)\s*$/.exec(line);
    if (match?.[1]) return match[1];
  }
  return null;
}
