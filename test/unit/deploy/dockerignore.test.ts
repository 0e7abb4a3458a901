import { describe, expect, it } from 'vitest';
import { isExcluded, mayReincludeBelow, parseDockerignore } from '../../../electron/core/deploy/dockerignore';

const rules = parseDockerignore(['# build output', 'node_modules', '*.log', '**/*.tmp', '/dist/', 'docs', '!docs/keep.md', 'secret?.txt'].join('\n'));

describe('dockerignore', () => {
  it.each([
    ['node_modules', true],
    ['node_modules/a/b.js', true],
    ['app.log', true],
    ['src/app.log', false],
    ['a/b/c.tmp', true],
    ['dist/main.js', true],
    ['docs/other.md', true],
    ['docs/keep.md', false],
    ['secret1.txt', true],
    ['secret12.txt', false],
    ['src/index.ts', false],
  ])('%s excluded: %s', (path, excluded) => {
    expect(isExcluded(rules, path)).toBe(excluded);
  });

  it('walks an excluded folder only when a later pattern re-includes something in it', () => {
    expect(mayReincludeBelow(rules, 'docs')).toBe(true);
    expect(mayReincludeBelow(rules, 'node_modules')).toBe(false);
  });

  it('lets the last matching pattern decide', () => {
    expect(isExcluded(parseDockerignore('*\n!src\nsrc/gen'), 'src/gen/x.ts')).toBe(true);
    expect(isExcluded(parseDockerignore('*\n!src\nsrc/gen'), 'src/app.ts')).toBe(false);
  });
});
