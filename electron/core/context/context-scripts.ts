import { contextPath, type ExtraFile } from '../deploy/context-files';
import { shellQuote } from '../ssh/remote-exec';
import { LISTING_FORMAT } from './context-plan';

/**
 * The shell side of an app's build-context cache on its server: `~/.berth/contexts/<daemon>/<app>/` holds `tree/`
 * (the context as the last deploy left it), `stat`, `manifest` (see context-plan.ts), `gen` (who wrote the tree
 * last) and `lock`. Every step that reads or changes the tree holds `flock` on `lock`. Short steps run in the link's
 * shell session; the upload of changed files and the build are one exec channel, because each new channel runs the
 * user's login shell and its rc files again (hundreds of milliseconds on some servers).
 */

/** Marks between the sections of what `readScript` prints (none can start a `find` record or a manifest record). */
export const SECTION = { stat: '\0//stat\0', manifest: '\0//manifest\0', gen: '\0//gen\0' } as const;

export function cacheDir(daemonId: string, app: string): string {
  const daemon = daemonId.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'docker';
  return `"$HOME"/.berth/contexts/${shellQuote(`${daemon}/${app}`)}`;
}

/** One line per finding: `missing=WHAT`, `git=yes`, `home=DIR`, `daemon=ID`, `client=VERSION`, `buildx=yes`. */
export const PROBE_SCRIPT = `echo "home=$HOME"
for t in tar find flock base64 docker; do command -v "$t" >/dev/null 2>&1 || echo "missing=$t"; done
command -v git >/dev/null 2>&1 && echo git=yes
tar --version 2>/dev/null | head -n 1 | grep -q 'GNU tar' || echo 'missing=GNU tar'
find . -maxdepth 0 -printf '' >/dev/null 2>&1 || echo 'missing=GNU find'
echo "daemon=$(docker info --format '{{.ID}}' 2>/dev/null)"
echo "client=$(docker version --format '{{.Client.Version}}' 2>/dev/null)"
docker buildx version >/dev/null 2>&1 && echo buildx=yes
true`;

/** Holds the cache's lock for the rest of the (sub)shell, making the folder (the SSH user's only) first. */
function locked(dir: string): string {
  return `b=${dir}; umask 077; mkdir -p "$b/tree" && chmod 700 "$HOME/.berth" "$HOME/.berth/contexts" && cd "$b/tree" && exec 9>"$b/lock" && flock -x 9 || exit 1`;
}

/** Prints the tree's listing, `stat`, `manifest` and `gen`. */
export function readScript(dir: string): string {
  return [
    locked(dir),
    `find . -mindepth 1 -printf ${shellQuote(LISTING_FORMAT)} 2>/dev/null`,
    `printf ${shellQuote(printfEscape(SECTION.stat))}; cat ../stat 2>/dev/null`,
    `printf ${shellQuote(printfEscape(SECTION.manifest))}; cat ../manifest 2>/dev/null`,
    `printf ${shellQuote(printfEscape(SECTION.gen))}; cat ../gen 2>/dev/null`,
    'true',
  ].join('\n');
}

/** Exit status of a step that found the tree changed by someone else since it was read. */
export const TREE_CHANGED = 75;
/** Exit status of a step that could not change the tree. */
export const SYNC_FAILED = 76;

export interface TreeChange {
  /** The generation read with the state the plan was made from. */
  expectGen: string;
  newGen: string;
  /** Tree paths to delete. */
  remove: string[];
  /** Manifest records of the files about to be sent (or of every file, with `rewrite`). */
  manifest: string;
  rewrite: boolean;
}

/**
 * Readies the tree for an upload: deletes what is gone, records the hashes of what is coming and drops `stat`, so
 * nothing in the tree is trusted until the upload is through and `stat` is written again.
 */
export function prepareScript(dir: string, change: TreeChange): string {
  checkGen(change.expectGen, true);
  checkGen(change.newGen, false);
  const lines = [locked(dir), `[ "$(cat ../gen 2>/dev/null)" = '${change.expectGen}' ] || exit ${TREE_CHANGED}`, 'rm -f ../stat'];
  if (change.remove.length > 0) lines.push(`${decode(change.remove.map((p) => `${p}\0`).join(''))} | xargs -0 -r rm -rf -- || exit ${SYNC_FAILED}`);
  const manifest = change.rewrite ? '> ../manifest.tmp && mv -f ../manifest.tmp ../manifest' : '>> ../manifest';
  lines.push(`${decode(change.manifest)} ${manifest} || exit ${SYNC_FAILED}`, `printf %s ${change.newGen} > ../gen || exit ${SYNC_FAILED}`);
  return lines.join('\n');
}

/**
 * Replaces the tree with a commit's tree from the app's repository cache on the server (`git archive`, which honours
 * export-ignore as the build context always did), forgetting the folder manifest it no longer matches.
 */
export function exportScript(dir: string, repoDir: string, treeish: string, gen: string, extraFiles: readonly ExtraFile[]): string {
  checkGen(gen, false);
  const extras = extraFiles.map((file) => {
    const path = shellQuote(contextPath(file.path));
    return `mkdir -p "$(dirname ${path})" && rm -rf ${path} && ${decode(file.content)} > ${path} && chmod 644 ${path} || exit ${SYNC_FAILED}`;
  });
  return [
    locked(dir),
    'rm -f ../stat ../manifest',
    `find . -mindepth 1 -delete && git -C ${shellQuote(repoDir)} archive --format=tar ${shellQuote(treeish)} | tar -x -p --no-same-owner -f - || exit ${SYNC_FAILED}`,
    ...extras,
    `printf %s ${gen} > ../gen`,
  ].join('\n');
}

/**
 * The exec that uploads and builds, under the lock: its first stdin line is the script (base64), then come the
 * tar of changed files (if any) and nothing more; stdin stays open while the build runs, and when it closes
 * (Berth cancelled, the connection dropped) the build is stopped.
 */
export function buildCommand(dir: string): string {
  return `b=${dir}; cd "$b/tree" && exec 9>"$b/lock" && flock -x 9 && IFS= read -r s && eval "$(printf %s "$s" | base64 -d)"`;
}

export interface ServerBuildSpec {
  /** The generation the tree must have, or the build was planned against a tree someone else changed since. */
  gen: string;
  /** A tar of changed files follows the script on stdin. */
  upload: boolean;
  /** The tree was changed for this build: `stat` is written again (after the upload). */
  restat: boolean;
  tag: string;
  dockerfile: string;
  args: Record<string, string>;
  target?: string | undefined;
  clean: boolean;
  labels: Record<string, string>;
  buildkit: boolean;
}

/**
 * The script the build exec runs. Build args are exported here and named on the command line without their values,
 * so no value is in any process's arguments on the server.
 */
export function buildScript(spec: ServerBuildSpec): string {
  checkGen(spec.gen, false);
  const exports = Object.entries(spec.args).map(([key, value]) => `export ${key}=${scriptQuote(value)}`);
  const flags = [
    spec.buildkit ? '--progress=plain' : '--force-rm',
    `-f ${shellQuote(spec.dockerfile)}`,
    `-t ${shellQuote(spec.tag)}`,
    ...Object.entries(spec.labels).map(([key, value]) => `--label ${shellQuote(`${key}=${value}`)}`),
    ...Object.keys(spec.args).map((key) => `--build-arg ${key}`),
    ...(spec.target ? [`--target ${shellQuote(spec.target)}`] : []),
    ...(spec.clean ? ['--no-cache'] : []),
  ];
  const upload = [
    ...(spec.upload ? [`tar -x -p --no-same-owner --recursive-unlink -f - || exit ${SYNC_FAILED}`] : []),
    ...(spec.restat ? [`find . -mindepth 1 -printf ${shellQuote(LISTING_FORMAT)} > ../stat.tmp && mv -f ../stat.tmp ../stat || exit ${SYNC_FAILED}`] : []),
  ];
  return [
    `[ "$(cat ../gen 2>/dev/null)" = '${spec.gen}' ] || exit ${TREE_CHANGED}`,
    ...upload,
    ...exports,
    `DOCKER_BUILDKIT=${spec.buildkit ? 1 : 0} docker build ${flags.join(' ')} . </dev/null 9>&- &`,
    'pid=$!',
    // a background list's stdin is /dev/null: the watcher reads the channel's through fd 3
    'exec 3<&0',
    '{ cat <&3 >/dev/null; kill "$pid"; } >/dev/null 2>&1 9>&- &',
    'w=$!',
    'wait "$pid"; status=$?',
    'kill "$w" 2>/dev/null',
    'exit "$status"',
  ].join('\n');
}

function checkGen(gen: string, mayBeEmpty: boolean): void {
  if (!(mayBeEmpty && gen === '') && !/^[0-9a-f]+$/.test(gen)) throw new Error(`not a generation: ${gen}`);
}

/** A command printing `bytes` (any bytes, NUL included) without them being in a command line or shell quoting. */
function decode(bytes: string): string {
  return `printf %s '${Buffer.from(bytes).toString('base64')}' | base64 -d`;
}

/** Quotes a value inside a script (not a command line): any character but NUL may stand between single quotes. */
function scriptQuote(value: string): string {
  return `'${value.replace(/\0/g, '').replace(/'/g, `'\\''`)}'`;
}

function printfEscape(text: string): string {
  return text.replace(/\0/g, '\\0');
}
