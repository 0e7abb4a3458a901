import { describe, expect, it } from 'vitest';
import { notificationFor } from '../../../shared/notifications';

describe('notification wording', () => {
  it('names the app, the deployment and the server of a success', () => {
    const notice = notificationFor('notifications.deploymentSucceeded', { app: 'shop', seq: 42, message: '#42 is live.' }, 'prod-eu');
    expect(notice).toEqual({ title: 'shop #42 is live on prod-eu', body: '#42 is live.', level: 'success' });
  });

  it('words an automatic rollback as a warning, never as a success', () => {
    const notice = notificationFor('notifications.autoRolledBack', { app: 'shop', seq: 43, message: 'Health check failed.' });
    expect(notice?.level).toBe('warning');
    expect(notice?.title).toBe('shop: #43 was rolled back automatically');
  });

  it('says nothing for topics that are not notifications', () => {
    expect(notificationFor('deployments.changed', { app: 'shop' })).toBeUndefined();
  });
});
