import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, render } from "@testing-library/react";
import { useEffect } from "react";
import { BoardProvider, useBoard } from "../src/state/BoardProvider";
import { item, pipeline } from "./fixtures";
import { FakeSocket } from "./fakeSocket";

function RunProbe({ run, seen }: { run: number; seen: number[] }) {
  const { subscribeRun, state } = useBoard();
  useEffect(() => subscribeRun(run, () => 0, (events) => seen.push(...events.map((e) => e.seq))), [run, seen, subscribeRun]);
  return <div data-testid="items">{Object.keys(state.items).length}</div>;
}

describe("BoardProvider", () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal("WebSocket", FakeSocket);
    vi.stubGlobal(
      "fetch",
      vi.fn((path: string) => {
        const body = path === "/api/pipeline" ? pipeline([item(1), item(2, "qa")]) : { agents: [] };
        return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it("RunSubscription_MadeBeforeTheSocketExists_IsSentAndSurvivesBoardUpdates", async () => {
    const seen: number[] = [];
    const { getByTestId } = render(
      <BoardProvider url="ws://test/ws">
        <RunProbe run={42} seen={seen} />
      </BoardProvider>,
    );
    const socket = FakeSocket.all[FakeSocket.all.length - 1];
    act(() => socket.open());
    expect(socket.sent).toContainEqual({ type: "subscribe", run: 42, after_seq: 0 });
    expect(socket.sent).toContainEqual({ type: "subscribe", pipeline: true });
    expect(socket.sent).toContainEqual({ type: "subscribe", agents: true });
    await vi.waitFor(() => expect(getByTestId("items").textContent).toBe("2"));
    // Board updates (snapshot, events) must not unsubscribe and resubscribe the run: each
    // resubscribe makes the server replay the run.
    const before = socket.sent.length;
    await act(async () => {
      socket.receive({ type: "pipeline_event", seq: 5, time_ms: 1, story: "1_story_item_1", event_type: "moved", payload: { to: "current" } });
      socket.receive({ type: "run_event", run_id: 42, seq: 1, time_ms: 1, story: "x", agent: "a", event_type: "output", payload: { text: "hi" } });
      await new Promise((r) => setTimeout(r, 80));
    });
    expect(socket.sent.slice(before)).toEqual([]);
    expect(seen).toEqual([1]);
  });
});
