import { Notification, type BrowserWindow } from 'electron';
import type { EventBus } from '../../core/events/event-bus';
import { notificationFor } from '../../../shared/notifications';

/**
 * Native notifications for deployment outcomes and an app going down, shown only when the window is not focused
 * (the window shows its own toasts otherwise).
 */
export function forwardNotifications(bus: EventBus, window: () => BrowserWindow | undefined): void {
  bus.onAny((topic, data) => {
    const note = notificationFor(topic, data);
    if (!note || !Notification.isSupported()) return;
    if (window()?.isFocused()) return;
    const notification = new Notification({ title: note.title, body: note.body, urgency: note.level === 'error' ? 'critical' : 'normal' });
    notification.on('click', () => window()?.show());
    notification.show();
  });
}
