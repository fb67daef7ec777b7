// A run's events, streamed live: assistant text, tool calls collapsed with their input and
// result, errors in red. Virtualised (only the visible rows are in the DOM) so thousands of
// events a second do not freeze the page; follows the tail unless the reader scrolls up.
import { memo, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { api } from "../api/client";
import type { RunEvent, RunRecord } from "../api/types";
import { useBoard } from "../state/BoardProvider";
import { applyRunEvents, emptyRunStream, outputRows } from "../state/runReducer";
import type { OutputRow } from "../state/runReducer";
import { fieldsText, outputLine, shorten, stripAnsi, toolInputSummary, valueText } from "../outputText";

// How much of a tool's result or input the expanded row shows; the rest is counted.
const DETAIL_CHARS = 4000;

export function RunOutput({ run, height = "60vh" }: { run: number; height?: string }) {
  const { subscribeRun } = useBoard();
  const [stream, add] = useReducer(applyRunEvents, emptyRunStream);
  const [record, setRecord] = useState<RunRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The last seq applied, for the subscription's after_seq at a (re)subscribe.
  const lastSeq = useRef(0);
  useEffect(() => {
    lastSeq.current = stream.lastSeq;
  }, [stream.lastSeq]);

  useEffect(() => subscribeRun(run, () => lastSeq.current, add), [run, subscribeRun]);

  useEffect(() => {
    let cancelled = false;
    api
      .runEvents(run, 0, 1)
      .then((page) => !cancelled && setRecord(page.run))
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [run, stream.done]);

  // A gap (events past a missing seq): fetch what is missing over REST.
  useEffect(() => {
    if (stream.gapAfter === null) return;
    let cancelled = false;
    api
      .runEvents(run, stream.gapAfter, 10000)
      .then((page) => !cancelled && add(page.events))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [run, stream.gapAfter]);

  const rows = useMemo(() => outputRows(stream.events), [stream.events]);
  // The newest status the stream reported; the record is only fetched at the start and end.
  const liveStatus = useMemo(() => lastStatus(stream.events), [stream.events]);

  return (
    <div className="run-output" data-run={run}>
      <div className="run-output-head">
        <strong>run {run}</strong>
        {record ? (
          <>
            <span>{record.agent}</span>
            {record.model ? <span className="muted">{record.model}</span> : null}
            <span className="run-status" data-status={liveStatus ?? record.status}>
              {liveStatus ?? record.status}
            </span>
            {record.exit_reason ? <span className="muted">{record.exit_reason}</span> : null}
          </>
        ) : null}
        <span className="muted run-count">{stream.events.length} events</span>
      </div>
      {error ? <p className="error">{error}</p> : null}
      <RunRows rows={rows} height={height} />
    </div>
  );
}

/** The rows, virtualised, following the tail unless the reader scrolled up. A component of its
 * own because useVirtualizer's results cannot be memoised: the React Compiler's rules skip
 * the component that calls it, and RunOutput's state handling stays checked. */
function RunRows({ rows, height }: { rows: OutputRow[]; height: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [showFollow, setShowFollow] = useState(false);
  // eslint-disable-next-line react-hooks/incompatible-library -- known and accepted: see above; the board does not use the React Compiler
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 26,
    overscan: 12,
  });

  useLayoutEffect(() => {
    if (following.current && rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: "end" });
  }, [rows.length, virtualizer]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    following.current = atBottom;
    setShowFollow(!atBottom);
  };

  return (
    <>
      <div className="run-scroll" ref={scroller} onScroll={onScroll} style={{ height }}>
        <div style={{ height: virtualizer.getTotalSize(), position: "relative", width: "100%" }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={rows[item.index].event.seq}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="run-row-wrap"
              style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${item.start}px)` }}
            >
              <EventRow row={rows[item.index]} />
            </div>
          ))}
        </div>
        {rows.length === 0 ? <p className="muted">No events yet.</p> : null}
      </div>
      {showFollow ? (
        <button
          className="follow-button"
          onClick={() => {
            following.current = true;
            setShowFollow(false);
            virtualizer.scrollToIndex(rows.length - 1, { align: "end" });
          }}
        >
          ↓ follow
        </button>
      ) : null}
    </>
  );
}

const EventRow = memo(function EventRow({ row }: { row: OutputRow }) {
  const { event, result } = row;
  const p = event.payload;
  switch (event.type) {
    case "assistant_text":
      return <div className="ev ev-text">{show(p.text)}</div>;
    case "thinking":
      return <div className="ev ev-thinking">{show(p.text)}</div>;
    case "output":
      return <div className="ev ev-output">{outputLine(show(p.text))}</div>;
    case "raw":
      return <div className="ev ev-output">{outputLine(show(p.line))}</div>;
    case "error":
      return <div className="ev ev-error">error: {show(p.message)}</div>;
    case "tool_use":
      return (
        <details className={"ev ev-tool" + (result?.payload.is_error ? " ev-tool-error" : "")}>
          <summary>
            <span className="tool-name">{show(p.name ?? "tool")}</span>{" "}
            <span className="muted">{toolInputSummary(p.input)}</span>
            {result ? null : <span className="muted"> …</span>}
          </summary>
          <div className="tool-detail">
            <div className="tool-label">input</div>
            <pre>{shorten(valueText(p.input), DETAIL_CHARS)}</pre>
            {result ? (
              <>
                <div className="tool-label">result</div>
                <pre className={result.payload.is_error ? "error" : undefined}>
                  {shorten(show(result.payload.text), DETAIL_CHARS)}
                </pre>
              </>
            ) : null}
          </div>
        </details>
      );
    case "tool_result":
      return (
        <div className={"ev ev-output" + (p.is_error ? " ev-error" : "")}>
          result: {shorten(show(p.text), 300)}
        </div>
      );
    case "result":
      return (
        <div className={"ev ev-result" + (p.is_error ? " ev-error" : "")}>
          result ({show(p.subtype)}){typeof p.total_cost_usd === "number" ? ` $${p.total_cost_usd.toFixed(4)}` : ""}
          {p.text ? `: ${shorten(show(p.text), 1000)}` : ""}
        </div>
      );
    case "status":
      return (
        <div className="ev ev-meta">
          status {show(p.status)}
          {p.reason ? ` (${show(p.reason)})` : ""}
        </div>
      );
    case "done":
      return (
        <div className={"ev ev-meta" + (p.status === "failed" ? " ev-error" : "")}>
          done: {show(p.status)} {p.exit ? `(${show(p.exit)})` : ""}
        </div>
      );
    default:
      return <div className="ev ev-meta">{describe(event)}</div>;
  }
});

function lastStatus(events: RunEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event.type === "status" || event.type === "done") return show(event.payload.status);
  }
  return null;
}

/** A payload value as text people read: strings without terminal escapes, other values as
 * "key: value" text, nothing as "". */
function show(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return stripAnsi(value);
  return valueText(value);
}

/** An event of a type this view has no row for: its type and scalar fields, shortened. */
function describe(event: RunEvent): string {
  return shorten(`${event.type} ${fieldsText(event.payload)}`.trim(), 200);
}
