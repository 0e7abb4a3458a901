import { describe, expect, it } from 'vitest';
import { AppSource } from '../../../shared/api/apps';
import { alwaysPullError, movingTag, notPresentError, pullStep } from '../../../electron/core/deploy/pull-policy';

describe('pull policy', () => {
  it('defaults to missing for an image source', () => {
    expect(AppSource.parse({ kind: 'image', image: 'web:1' })).toEqual({ kind: 'image', image: 'web:1', pull: 'missing' });
  });

  it('uses an image already on the server under missing and never, and pulls it only when absent under missing', () => {
    expect(pullStep('missing', true)).toBe('use-present');
    expect(pullStep('missing', false)).toBe('pull');
    expect(pullStep('never', true)).toBe('use-present');
  });

  it('refuses under never when the image is absent', () => {
    expect(pullStep('never', false)).toBe('refuse');
    expect(notPresentError('web:1', 's1')).toMatchObject({ code: 'IMAGE_MISSING', message: expect.stringContaining('--pull missing') });
  });

  it('always pulls, present or not', () => {
    expect(pullStep('always', true)).toBe('pull');
    expect(pullStep('always', false)).toBe('pull');
  });

  it('names the image on the server and the fix when an always pull fails', () => {
    const error = alwaysPullError('127.0.0.1:5000/web:1', { code: 'IMAGE_PULL_FAILED', message: 'Could not pull 127.0.0.1:5000/web:1: connection refused' }, 'sha256:0123456789abcdef0123');
    expect(error.code).toBe('IMAGE_PULL_FAILED');
    expect(error.message).toContain('connection refused');
    expect(error.message).toContain('(0123456789ab)');
    expect(error.message).toContain('--pull missing');
    expect(alwaysPullError('web:1', { code: 'IMAGE_PULL_FAILED', message: 'Could not pull web:1' }, null).message).not.toContain('--pull missing');
  });

  it('tells moving tags from fixed ones', () => {
    expect(movingTag('nginx')).toBe(true);
    expect(movingTag('host:5000/team/web')).toBe(true);
    expect(movingTag('web:latest')).toBe(true);
    expect(movingTag('host:5000/web:1.4')).toBe(false);
    expect(movingTag('web@sha256:abc')).toBe(false);
  });
});
