import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoffDelay, EventSocket } from "../src/ws/socket";
import { FakeSocket } from "./fakeSocket";

describe("EventSocket", () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
    vi.stubGlobal("WebSocket", { OPEN: 1 });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("Backoff_DoublesUpToTheCap", () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 200, 3000))).toEqual([200, 400, 800, 1600, 3000]);
  });

  it("Reconnect_ResendsSubscriptionsWithTheLastSeqSeen", () => {
    let lastSeq = 0;
    const states: string[] = [];
    const opens: boolean[] = [];
    const messages: unknown[] = [];
    const socket = new EventSocket({
      url: "ws://x/ws",
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
      onMessage: (m) => messages.push(m),
      onState: (s) => states.push(s),
      onOpen: (reconnected) => opens.push(reconnected),
    });
    socket.subscribe("pipeline", () => ({ type: "subscribe", pipeline: true, after_seq: lastSeq }));
    socket.start();
    FakeSocket.all[0].open();
    expect(FakeSocket.all[0].sent).toEqual([{ type: "subscribe", pipeline: true, after_seq: 0 }]);
    FakeSocket.all[0].onmessage?.({ data: '{"type":"pipeline_event","seq":7}' });
    expect(messages).toHaveLength(1);
    lastSeq = 7;

    FakeSocket.all[0].drop(); // the server went away
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(200);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1].drop(); // still down: the next wait doubles
    vi.advanceTimersByTime(399);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.all[2].open();
    expect(FakeSocket.all[2].sent).toEqual([{ type: "subscribe", pipeline: true, after_seq: 7 }]);
    expect(opens).toEqual([false, true]);
    expect(states).toContain("reconnecting");
    expect(states[states.length - 1]).toBe("open");
    socket.close();
  });

  it("Close_StopsReconnecting", () => {
    const socket = new EventSocket({
      url: "ws://x/ws",
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
      onMessage: () => undefined,
    });
    socket.start();
    FakeSocket.all[0].open();
    socket.close();
    vi.advanceTimersByTime(10000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
