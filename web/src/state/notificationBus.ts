// New notifications as they arrive over /ws: the BoardProvider publishes them, the bell (and
// anything else) listens. A plain listener set, so the board's reducer stays as it is.
import type { NotificationRecord } from "../api/types";

type Listener = (notification: NotificationRecord) => void;

const listeners = new Set<Listener>();

export function publishNotification(notification: NotificationRecord): void {
  for (const listener of listeners) listener(notification);
}

/** Returns the unsubscribe function. */
export function onNotification(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
