import { describe, expect, it } from "vitest";
import { applyRunEvents, emptyRunStream, outputRows } from "../src/state/runReducer";
import { revent } from "./fixtures";

const seqs = (events: { seq: number }[]) => events.map((e) => e.seq);

describe("runReducer", () => {
  it("InOrder_AppendsAndTracksLastSeq", () => {
    const s = applyRunEvents(emptyRunStream, [revent(1), revent(2), revent(3)]);
    expect(seqs(s.events)).toEqual([1, 2, 3]);
    expect(s.lastSeq).toBe(3);
    expect(s.gapAfter).toBeNull();
  });

  it("Duplicates_FromAReplayOverlap_AreDropped", () => {
    let s = applyRunEvents(emptyRunStream, [revent(1), revent(2)]);
    s = applyRunEvents(s, [revent(1), revent(2), revent(3)]);
    expect(seqs(s.events)).toEqual([1, 2, 3]);
    const same = applyRunEvents(s, [revent(2), revent(3)]);
    expect(same).toBe(s);
  });

  it("Gap_HoldsLaterEventsUntilTheMissingOnesArrive", () => {
    let s = applyRunEvents(emptyRunStream, [revent(1), revent(2)]);
    s = applyRunEvents(s, [revent(5), revent(6)]);
    expect(seqs(s.events)).toEqual([1, 2]);
    expect(s.gapAfter).toBe(2);
    // The REST page fills the gap (and overlaps what was pending).
    s = applyRunEvents(s, [revent(3), revent(4), revent(5)]);
    expect(seqs(s.events)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(s.gapAfter).toBeNull();
    expect(s.pending.size).toBe(0);
  });

  it("Done_MarksTheStreamComplete", () => {
    const s = applyRunEvents(emptyRunStream, [revent(1), revent(2, "done", { status: "completed" })]);
    expect(s.done).toBe(true);
  });

  it("Throughput_TenThousandEventsInBatchesStaysFast", () => {
    let s = emptyRunStream;
    const start = performance.now();
    for (let batch = 0; batch < 200; batch++)
      s = applyRunEvents(s, Array.from({ length: 50 }, (_, i) => revent(batch * 50 + i + 1)));
    const rows = outputRows(s.events);
    const elapsed = performance.now() - start;
    expect(s.events.length).toBe(10000);
    expect(rows.length).toBe(10000);
    expect(elapsed).toBeLessThan(1000);
  });

  it("OutputRows_FoldsToolResultsIntoTheirCall", () => {
    const events = [
      revent(1, "assistant_text", { text: "hi" }),
      revent(2, "tool_use", { id: "t1", name: "Bash", input: { command: "ls" } }),
      revent(3, "tool_result", { tool_use_id: "t1", text: "a\nb", is_error: false }),
      revent(4, "tool_result", { tool_use_id: "unknown", text: "orphan", is_error: true }),
    ];
    const rows = outputRows(events);
    expect(rows.map((r) => r.event.seq)).toEqual([1, 2, 4]);
    expect(rows[1].result?.seq).toBe(3);
  });
});
