import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pack } from 'tar-fs';
import type { BuildSettings } from '../../../shared/api/apps';
import { BerthError } from '../../../shared/errors';
import { appendExtraFiles, extraPaths, type ExtraFile } from './context-files';
import { isExcluded, mayReincludeBelow, parseDockerignore } from './dockerignore';

/**
 * Tars a local build context as a stream, leaving out what its .dockerignore excludes (the Dockerfile and the
 * .dockerignore itself always go, as Docker's CLI sends them too). Extra files are added at the end, in place of
 * the folder's files of the same path, and the folder is left as it is.
 */
export function packFolder(root: string, build: BuildSettings, extraFiles: readonly ExtraFile[] = []): Readable {
  const context = resolve(root, build.context);
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new BerthError('SOURCE_INVALID', `The build context ${context} is not a folder on this computer.`);
  }
  const dockerfile = build.dockerfile.split(sep).join('/').replace(/^\.\//, '');
  const extras = extraPaths(extraFiles);
  if (!extras.has(dockerfile) && !existsSync(resolve(context, dockerfile))) {
    throw new BerthError('DOCKERFILE_MISSING', `There is no ${dockerfile} in ${context}.`);
  }
  const ignoreFile = resolve(context, '.dockerignore');
  const rules = existsSync(ignoreFile) ? parseDockerignore(readFileSync(ignoreFile, 'utf8')) : [];
  return pack(context, {
    ignore(name: string): boolean {
      const rel = relative(context, name).split(sep).join('/');
      if (extras.has(rel)) return true;
      if (rel === dockerfile || rel === '.dockerignore') return false;
      return isExcluded(rules, rel) && !mayReincludeBelow(rules, rel);
    },
    map(header) {
      // the daemon should not see this computer's user ids
      return { ...header, uid: 0, gid: 0 };
    },
    finalize: false,
    finish: (out) => appendExtraFiles(out, extraFiles),
  }) as unknown as Readable;
}
