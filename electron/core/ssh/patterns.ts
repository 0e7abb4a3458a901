/**
 * OpenSSH's host patterns, shared by ssh_config `Host` lines and known_hosts: `*` and `?` wildcards, `!` negation,
 * case-insensitive. A list matches when no negated pattern matches and at least one plain pattern does.
 */
export function globMatch(pattern: string, text: string): boolean {
  const source = pattern
    .toLowerCase()
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(text.toLowerCase());
}

export function matchPatternList(patterns: readonly string[], text: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (globMatch(pattern.slice(1), text)) return false;
    } else if (globMatch(pattern, text)) {
      matched = true;
    }
  }
  return matched;
}

export function hasWildcard(pattern: string): boolean {
  return /[*?!]/.test(pattern);
}
