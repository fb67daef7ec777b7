import { describe, expect, it } from "vitest";
import { boardReducer, columns, initialBoard } from "../src/state/boardReducer";
import type { BoardState } from "../src/state/boardReducer";
import type { ServerMessage } from "../src/api/types";
import { item, pevent, pipeline } from "./fixtures";

const loaded = (): BoardState =>
  boardReducer(initialBoard, { type: "snapshot", pipeline: pipeline([item(1), item(2, "current"), item(3, "qa")]) });
const apply = (state: BoardState, ...messages: ServerMessage[]) => boardReducer(state, { type: "messages", messages });

describe("boardReducer", () => {
  it("Snapshot_PutsEveryItemInItsColumnOrderedByNumber", () => {
    const state = boardReducer(initialBoard, {
      type: "snapshot",
      pipeline: pipeline([item(5, "current"), item(2, "current"), item(1)]),
    });
    expect(state.loaded).toBe(true);
    const byStage = columns(state.items);
    expect(byStage.current.map((i) => i.number)).toEqual([2, 5]);
    expect(byStage.backlog.map((i) => i.number)).toEqual([1]);
  });

  it("Moved_MovesTheCardAndRemembersTheSeq", () => {
    const state = apply(loaded(), pevent(10, "2_story_item_2", "moved", { from: "current", to: "qa" }));
    expect(state.items["2_story_item_2"].stage).toBe("qa");
    expect(state.lastSeq).toBe(10);
    expect(state.refetch).toBe(0);
  });

  it("Duplicate_SeqAtOrBelowTheLastIsIgnored", () => {
    let state = apply(loaded(), pevent(10, "2_story_item_2", "moved", { to: "qa" }));
    // A replay that overlaps what we had: the old move must not be applied again.
    state = apply(state, pevent(11, "2_story_item_2", "moved", { to: "merge" }));
    const again = apply(state, pevent(10, "2_story_item_2", "moved", { to: "qa" }));
    expect(again).toBe(state);
    expect(again.items["2_story_item_2"].stage).toBe("merge");
  });

  it("Gap_AppliesTheEventAndAsksForARefetch", () => {
    let state = apply(loaded(), pevent(10, "1_story_item_1", "blocked", { reason: "x" }));
    expect(state.refetch).toBe(0);
    state = apply(state, pevent(13, "2_story_item_2", "moved", { to: "done" }));
    expect(state.refetch).toBe(1);
    expect(state.lastSeq).toBe(13);
    expect(state.items["2_story_item_2"].stage).toBe("done");
  });

  it("FirstLiveEvent_IsNoGap", () => {
    const state = apply(loaded(), pevent(500, "1_story_item_1", "moved", { to: "current" }));
    expect(state.refetch).toBe(0);
  });

  it("ReplayAfterReconnect_AppliesMissedEventsInOrder", () => {
    let state = apply(loaded(), pevent(20, "1_story_item_1", "moved", { to: "current" }));
    state = boardReducer(state, { type: "connection", state: "reconnecting" });
    state = boardReducer(state, { type: "connection", state: "open" });
    state = apply(
      state,
      pevent(21, "1_story_item_1", "moved", { to: "qa" }),
      pevent(22, "1_story_item_1", "review_hold"),
      { type: "subscribed", pipeline: true, last_seq: 22 },
      pevent(22, "1_story_item_1", "review_hold"),
    );
    expect(state.items["1_story_item_1"].stage).toBe("qa");
    expect(state.items["1_story_item_1"].flags.review_hold).toBe(true);
    expect(state.lastSeq).toBe(22);
    expect(state.refetch).toBe(0);
    expect(state.connection).toBe("open");
  });

  it("Resync_AsksForRefetchAndResubscribe", () => {
    const state = apply(loaded(), { type: "resync", reason: "send queue overflow" });
    expect(state.refetch).toBe(1);
    expect(state.resubscribe).toBe(1);
  });

  it("UnknownItemOrCreated_AsksForRefetch", () => {
    expect(apply(loaded(), pevent(1, "9_story_new", "created")).refetch).toBe(1);
    expect(apply(loaded(), pevent(1, "9_story_new", "moved", { to: "qa" })).refetch).toBe(1);
  });

  it("Flags_BlockedRetryMergeFailureUnblocked", () => {
    const id = "3_story_item_3";
    let state = apply(
      loaded(),
      pevent(1, id, "retry", { retry_count: 2 }),
      pevent(2, id, "blocked", { reason: "gate failed" }),
      pevent(3, id, "merge_failed", { reason: "merge conflict with main in 2 file(s)", conflicted: ["a.txt", "b/c.txt"] }),
    );
    const flags = state.items[id].flags;
    expect(flags.retry_count).toBe(2);
    expect(flags.blocked).toBe(true);
    expect(flags.blocked_reason).toBe("gate failed");
    expect(flags.merge_failure).toBe("merge conflict with main in 2 file(s):\n- a.txt\n- b/c.txt");
    state = apply(state, pevent(4, id, "unblocked"));
    expect(state.items[id].flags).toEqual({ blocked: false, review_hold: false, retry_count: 0, blocked_reason: undefined, merge_failure: undefined });
  });

  it("AgentStatus_AddsUpdatesAndRemovesTheLozenge", () => {
    const id = "2_story_item_2";
    const status = (s: string) =>
      ({ type: "agent_status", run_id: 7, story: id, agent: "coder-1", model: "sonnet", status: s, time_ms: 5 }) as ServerMessage;
    let state = boardReducer(loaded(), {
      type: "agents",
      agents: [{ name: "coder-1", configured: true, stage: "coder", runtime: "command", model: null, status: "idle", story_id: null, run_id: null, started_at_ms: null, blocked_until_ms: null, last_run: null }],
    });
    state = apply(state, status("running"));
    expect(state.items[id].agents).toEqual([{ agent: "coder-1", model: "sonnet", status: "running", run_id: 7, started_at_ms: 5 }]);
    expect(state.agents![0].status).toBe("running");
    expect(state.agents![0].story_id).toBe(id);
    state = apply(state, status("throttled"));
    expect(state.items[id].agents[0].status).toBe("throttled");
    const before = state.refetch;
    state = apply(state, status("completed"));
    expect(state.items[id].agents).toEqual([]);
    expect(state.agents![0].status).toBe("idle");
    expect(state.refetch).toBe(before + 1); // the cost changed
  });

  it("AgentStatus_OnABacklogItem_AsksForARefetch", () => {
    const state = apply(loaded(), {
      type: "agent_status", run_id: 9, story: "1_story_item_1", agent: "coder-1", model: null, status: "pending", time_ms: 1,
    });
    expect(state.refetch).toBe(1);
    expect(state.items["1_story_item_1"].agents[0].status).toBe("pending");
  });

  it("Filter_MatchesIdOrName", () => {
    const state = loaded();
    const byStage = columns(state.items, "ITEM 2");
    expect(byStage.current.map((i) => i.number)).toEqual([2]);
    expect(byStage.backlog).toEqual([]);
  });
  it("DiskCreated_AddsTheCardFromTheEventWithoutARefetch", () => {
    const card = { ...item(7, "current"), agents: undefined, cost_usd: undefined };
    const state = apply(loaded(), pevent(30, card.id, "item_created", { stage: "current", item: card }));
    expect(state.items["7_story_item_7"].stage).toBe("current");
    expect(state.items["7_story_item_7"].agents).toEqual([]);
    expect(state.refetch).toBe(0);
  });

  it("DiskRemoved_DropsTheCard", () => {
    const state = apply(loaded(), pevent(30, "2_story_item_2", "item_removed", { stage: "current" }));
    expect(state.items["2_story_item_2"]).toBeUndefined();
    expect(state.refetch).toBe(0);
  });

  it("DiskChanged_ReplacesTheCardKeepingRunsAndCost", () => {
    let state = loaded();
    state = { ...state, items: { ...state.items, "1_story_item_1": { ...state.items["1_story_item_1"], cost_usd: 2.5 } } };
    const card = { ...item(1), name: "Renamed", agents: undefined, cost_usd: undefined };
    state = apply(state, pevent(30, card.id, "item_changed", { fields: { name: "Renamed" }, item: card }));
    expect(state.items["1_story_item_1"].name).toBe("Renamed");
    expect(state.items["1_story_item_1"].cost_usd).toBe(2.5);
    expect(state.refetch).toBe(0);
  });

  it("WorkReloaded_AsksForOneRefetch", () => {
    const state = apply(loaded(), pevent(30, "", "work_reloaded", { changes: 200 }));
    expect(state.refetch).toBe(1);
  });
});
