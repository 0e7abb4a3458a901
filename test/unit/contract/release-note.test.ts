import { describe, expect, it } from 'vitest';
import { ReleaseNoteText } from '../../../shared/api/rollback';

describe('the note on a release', () => {
  it('is one trimmed line of at most 500 characters', () => {
    expect(ReleaseNoteText.parse('  leaks memory under load  ')).toBe('leaks memory under load');
    expect(ReleaseNoteText.parse('')).toBe('');
    expect(ReleaseNoteText.safeParse('x'.repeat(501)).success).toBe(false);
  });

  it.each([
    ['a newline', 'first\nsecond'],
    ['a terminal escape', 'fine\u001b[2Jnow'],
    ['a NUL byte', 'a\u0000b'],
    ['a carriage return', 'a\rb'],
  ])('refuses %s, naming the fix', (_what, text) => {
    const parsed = ReleaseNoteText.safeParse(text);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/write it on one line, without control characters/);
  });
});
