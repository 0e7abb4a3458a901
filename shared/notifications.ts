/**
 * What a finished deployment or a failing app says to the user, in one place, so native notifications and toasts in
 * the window use the same words. Every `notifications.*` event carries the app, the deployment's seq and a sentence.
 */
export interface UserNotice {
  title: string;
  body: string;
  level: 'success' | 'error' | 'warning';
}

interface NoticeData {
  app?: unknown;
  seq?: unknown;
  message?: unknown;
}

const describers: Record<string, (app: string, seq: string, where: string) => Omit<UserNotice, 'body'>> = {
  'notifications.deploymentSucceeded': (app, seq, where) => ({ title: `${app} ${seq} is live${where}`, level: 'success' }),
  'notifications.deploymentFailed': (app, seq, where) => ({ title: `${app}: deployment ${seq} failed${where}`, level: 'error' }),
  'notifications.healthCheckFailed': (app, _seq, where) => ({ title: `${app}: health check failed${where}`, level: 'warning' }),
  'notifications.autoRolledBack': (app, seq, where) => ({ title: `${app}: ${seq} was rolled back automatically${where}`, level: 'warning' }),
  'notifications.pushFailed': (app, seq, where) => ({ title: `${app}: ${seq} was not pushed to its registry${where}`, level: 'warning' }),
  'notifications.appDown': (app, _seq, where) => ({ title: `${app} is down${where}`, level: 'error' }),
  'notifications.appUp': (app, _seq, where) => ({ title: `${app} is back up${where}`, level: 'success' }),
};

export function notificationFor(topic: string, data: unknown, serverName?: string): UserNotice | undefined {
  const describe = describers[topic];
  if (!describe || typeof data !== 'object' || data === null) return undefined;
  const notice = data as NoticeData;
  const seq = typeof notice.seq === 'number' ? `#${notice.seq}` : '';
  const { title, level } = describe(String(notice.app ?? 'An app'), seq, serverName ? ` on ${serverName}` : '');
  return { title: title.replace(/\s+/g, ' '), body: String(notice.message ?? ''), level };
}
