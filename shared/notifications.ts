/**
 * What a finished deployment or a failing app says to the user, in one place, so native notifications, toasts in the
 * window and the CLI use the same words.
 */
export interface UserNotice {
  title: string;
  body: string;
  level: 'success' | 'error' | 'warning';
}

type Describer = (data: Record<string, unknown>) => UserNotice;

const describers: Record<string, Describer> = {
  'notifications.deploymentSucceeded': (d) => ({
    title: `${str(d.appName)} is live`,
    body: `#${str(d.seq)} ${str(d.title)} is live on ${str(d.serverName)}.`,
    level: 'success',
  }),
  'notifications.deploymentFailed': (d) => ({
    title: `${str(d.appName)}: deployment #${str(d.seq)} failed`,
    body: str(d.reason),
    level: 'error',
  }),
  'notifications.healthCheckFailed': (d) => ({
    title: `${str(d.appName)}: health check failed`,
    body: str(d.reason),
    level: 'warning',
  }),
  'notifications.appDown': (d) => ({
    title: `${str(d.appName)} is down`,
    body: str(d.reason),
    level: 'error',
  }),
};

export function notificationFor(topic: string, data: unknown): UserNotice | undefined {
  const describe = describers[topic];
  if (!describe || typeof data !== 'object' || data === null) return undefined;
  return describe(data as Record<string, unknown>);
}

function str(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}
