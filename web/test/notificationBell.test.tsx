import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { NotificationBell } from "../src/components/NotificationBell";
import { publishNotification } from "../src/state/notificationBus";
import type { NotificationRecord } from "../src/api/types";

function notification(id: number, extra: Partial<NotificationRecord> = {}): NotificationRecord {
  return {
    id,
    key: `pipeline:${id}`,
    time_ms: 1_800_000_000_000,
    event: "blocked",
    story: `${id}_story_x`,
    title: `${id}_story_x is blocked`,
    detail: "gate failed",
    link: `https://board.example/items/${id}_story_x`,
    read: false,
    ...extra,
  };
}

function reply(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("NotificationBell", () => {
  it("ShowsTheUnreadCountAndCountsLiveNotifications", async () => {
    const fetchMock = vi.fn((path: string) => {
      void path;
      return Promise.resolve(reply({ notifications: [notification(1)], unread: 1 }));
    });
    vi.stubGlobal("fetch", fetchMock);
    render(<NotificationBell />);
    await screen.findByLabelText("notifications, 1 unread");
    act(() => publishNotification(notification(2)));
    expect(screen.getByLabelText("notifications, 2 unread")).toBeTruthy();
    fireEvent.click(screen.getByLabelText("notifications, 2 unread"));
    expect(await screen.findByText("2_story_x is blocked")).toBeTruthy();
    expect(fetchMock.mock.calls[0][0]).toBe("/api/notifications?limit=30");
  });

  it("MarkAllReadPostsAndClearsTheCount", async () => {
    const fetchMock = vi.fn((path: string) =>
      Promise.resolve(
        path === "/api/notifications/read"
          ? reply({ marked: 1, unread: 0 })
          : reply({ notifications: [notification(1)], unread: 1 }),
      ),
    );
    vi.stubGlobal("fetch", fetchMock);
    render(<NotificationBell />);
    fireEvent.click(await screen.findByLabelText("notifications, 1 unread"));
    fireEvent.click(await screen.findByText("Mark all read"));
    await waitFor(() => expect(screen.getByLabelText("notifications, 0 unread")).toBeTruthy());
    const post = fetchMock.mock.calls.find((call) => call[0] === "/api/notifications/read");
    expect(post).toBeTruthy();
    expect((post as unknown as [string, RequestInit])[1].body).toBe(JSON.stringify({ all: true }));
  });
});
