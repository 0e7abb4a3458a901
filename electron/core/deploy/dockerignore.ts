/**
 * `.dockerignore` matching as Docker's CLI does it: patterns are cleaned paths relative to the context, `*` and `?`
 * stay within a path segment, `**` spans segments, `!` re-includes, the last matching pattern decides, and a pattern
 * that matches a folder excludes everything inside it.
 */
export interface IgnoreRule {
  pattern: string;
  negate: boolean;
  regex: RegExp;
}

export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1).trim();
    }
    const pattern = cleanPath(line);
    if (pattern === '') continue;
    rules.push({ pattern, negate, regex: toRegex(pattern) });
  }
  return rules;
}

/** Whether `relPath` (slash-separated, relative to the context) is left out of the build context. */
export function isExcluded(rules: IgnoreRule[], relPath: string): boolean {
  const path = cleanPath(relPath);
  let excluded = false;
  for (const rule of rules) {
    if (matchesOrParentMatches(rule, path)) excluded = !rule.negate;
  }
  return excluded;
}

/**
 * Whether some `!` pattern could re-include a path below the folder `relDir`: then the folder must still be walked
 * even though it is excluded itself.
 */
export function mayReincludeBelow(rules: IgnoreRule[], relDir: string): boolean {
  const dir = `${cleanPath(relDir)}/`;
  return rules.some((rule) => {
    if (!rule.negate) return false;
    const literal = rule.pattern.split(/[*?[\\]/)[0] ?? '';
    return literal.startsWith(dir) || dir.startsWith(literal);
  });
}

function matchesOrParentMatches(rule: IgnoreRule, path: string): boolean {
  if (rule.regex.test(path)) return true;
  let slash = path.lastIndexOf('/');
  while (slash > 0) {
    if (rule.regex.test(path.slice(0, slash))) return true;
    slash = path.lastIndexOf('/', slash - 1);
  }
  return false;
}

function cleanPath(path: string): string {
  const out: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function toRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          // `**/` matches zero or more whole folders
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
      } else {
        const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      re += escapeRegex(pattern[i] ?? '');
    } else {
      re += escapeRegex(ch);
    }
  }
  return new RegExp(`^${re}$`);
}

function escapeRegex(ch: string): string {
  return /[.+^${}()|[\]\\/-]/.test(ch) ? `\\${ch}` : ch;
}
