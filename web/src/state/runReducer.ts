// One run's event stream as a pure function of what arrived, over /ws (live, or replayed
// after `after_seq`) or from REST pages (/api/runs/{run}/events). Events are kept contiguous
// by seq: duplicates are dropped, and events past a gap wait in `pending` until the missing
// ones come (the view fetches them over REST from `gapAfter`).
import type { RunEvent } from "../api/types";

export interface RunStream {
  events: RunEvent[];
  lastSeq: number;
  /** Events that arrived past a gap, by seq. */
  pending: Map<number, RunEvent>;
  /** Set while a gap is open: fetch the events after this seq. */
  gapAfter: number | null;
  done: boolean;
}

export const emptyRunStream: RunStream = {
  events: [],
  lastSeq: 0,
  pending: new Map(),
  gapAfter: null,
  done: false,
};

export function applyRunEvents(stream: RunStream, incoming: RunEvent[]): RunStream {
  if (incoming.length === 0) return stream;
  const added: RunEvent[] = [];
  let lastSeq = stream.lastSeq;
  let pending = stream.pending;
  let done = stream.done;
  const take = (event: RunEvent) => {
    added.push(event);
    lastSeq = event.seq;
    if (event.type === "done") done = true;
  };
  for (const event of incoming) {
    if (event.seq <= lastSeq) continue; // duplicate
    if (event.seq === lastSeq + 1) {
      take(event);
      while (pending.has(lastSeq + 1)) {
        if (pending === stream.pending) pending = new Map(pending);
        const next = pending.get(lastSeq + 1)!;
        pending.delete(lastSeq + 1);
        take(next);
      }
    } else if (!pending.has(event.seq)) {
      if (pending === stream.pending) pending = new Map(pending);
      pending.set(event.seq, event);
    }
  }
  // Drop pending events that the contiguous run has now passed.
  if (pending.size > 0) {
    for (const seq of pending.keys()) {
      if (seq <= lastSeq) {
        if (pending === stream.pending) pending = new Map(pending);
        pending.delete(seq);
      }
    }
  }
  const gapAfter = pending.size > 0 ? lastSeq : null;
  if (added.length === 0 && pending === stream.pending && gapAfter === stream.gapAfter)
    return stream;
  return {
    events: added.length ? stream.events.concat(added) : stream.events,
    lastSeq,
    pending,
    gapAfter,
    done,
  };
}

export interface OutputRow {
  event: RunEvent;
  /** For a tool_use: its tool_result, when it came. */
  result?: RunEvent;
}

/** Rows to show: tool results are folded into their tool call. */
export function outputRows(events: RunEvent[]): OutputRow[] {
  const rows: OutputRow[] = [];
  const byToolId = new Map<string, OutputRow>();
  for (const event of events) {
    if (event.type === "tool_use") {
      const row: OutputRow = { event };
      const id = event.payload.id;
      if (typeof id === "string") byToolId.set(id, row);
      rows.push(row);
    } else if (event.type === "tool_result") {
      const owner = byToolId.get(String(event.payload.tool_use_id));
      if (owner) owner.result = event;
      else rows.push({ event });
    } else {
      rows.push({ event });
    }
  }
  return rows;
}
