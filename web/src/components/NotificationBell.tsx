// The bell in the top bar: the unread count, a list of the newest notifications (each links to
// its item), "mark all read", and the browser's Notification API once the person allows it
// (asked only when they click "Desktop alerts"). Live updates come from /ws through the
// notification bus; the list itself from GET /api/notifications (docs/notifications.md).
import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import type { NotificationRecord } from "../api/types";
import { navigate } from "../router";
import { onNotification } from "../state/notificationBus";
import { Link } from "./Link";
import "./NotificationBell.css";

const LIMIT = 30;

function desktopAlertsSupported(): boolean {
  return typeof window !== "undefined" && "Notification" in window;
}

function showDesktopAlert(notification: NotificationRecord): void {
  if (!desktopAlertsSupported() || Notification.permission !== "granted") return;
  const alert = new Notification(notification.title, {
    body: notification.detail,
    tag: notification.key, // the browser shows one alert per notification, even if sent twice
  });
  alert.onclick = () => {
    window.focus();
    if (notification.story) navigate(`/items/${encodeURIComponent(notification.story)}`);
  };
}

export function NotificationBell() {
  const [items, setItems] = useState<NotificationRecord[]>([]);
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [permission, setPermission] = useState(
    desktopAlertsSupported() ? Notification.permission : "denied",
  );

  const load = useCallback(async () => {
    try {
      const page = await api.notifications(LIMIT);
      setItems(page.notifications);
      setUnread(page.unread);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  useEffect(() => {
    let live = true;
    api.notifications(LIMIT).then(
      (page) => {
        if (!live) return;
        setItems(page.notifications);
        setUnread(page.unread);
      },
      (e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : String(e));
      },
    );
    const off = onNotification((notification) => {
      setItems((list) =>
        list.some((n) => n.id === notification.id) ? list : [notification, ...list].slice(0, LIMIT),
      );
      setUnread((count) => count + 1);
      showDesktopAlert(notification);
    });
    return () => {
      live = false;
      off();
    };
  }, []);

  const markAllRead = async () => {
    try {
      const answer = await api.markNotificationsRead();
      setUnread(answer.unread);
      setItems((list) => list.map((n) => ({ ...n, read: true })));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const askPermission = async () => {
    if (!desktopAlertsSupported()) return;
    setPermission(await Notification.requestPermission());
  };

  return (
    <div className="notification-bell">
      <button
        className="link-button bell-button"
        aria-label={`notifications, ${unread} unread`}
        aria-expanded={open}
        onClick={() => {
          if (!open) void load();
          setOpen(!open);
        }}
      >
        🔔{unread > 0 ? <span className="bell-count">{unread}</span> : null}
      </button>
      {open ? (
        <div className="bell-list" role="dialog" aria-label="notifications">
          <div className="bell-actions">
            <button className="link-button" onClick={() => void markAllRead()} disabled={unread === 0}>
              Mark all read
            </button>
            {permission === "default" ? (
              <button className="link-button" onClick={() => void askPermission()}>
                Desktop alerts
              </button>
            ) : null}
          </div>
          {error ? <p className="error">{error}</p> : null}
          {items.length === 0 ? <p className="muted">No notifications.</p> : null}
          <ul>
            {items.map((n) => (
              <li
                key={n.id}
                className={n.read ? "read" : "unread"}
                data-event={n.event}
                onClick={() => setOpen(false)}
              >
                {n.story ? (
                  <Link href={`/items/${encodeURIComponent(n.story)}`}>{n.title}</Link>
                ) : (
                  <span>{n.title}</span>
                )}
                {n.detail ? <div className="bell-detail">{n.detail}</div> : null}
                <time className="muted">{new Date(n.time_ms).toLocaleString()}</time>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
