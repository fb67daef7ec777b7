// An item's timeline (GET /api/items/{id}/timeline): runs started and ended with their tool
// calls summarised, gate results with the tail of their output, retries, merge failures with
// the conflicted paths, the mergemaster, the merge with its commit. Oldest first.
import type { TimelineEntry } from "../api/types";
import { formatTime } from "../format";
import { stripAnsi } from "../outputText";
import { Link } from "./Link";

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p className="muted">Nothing has happened yet.</p>;
  return (
    <ol className="timeline">
      {entries.map((entry, index) => (
        <TimelineRow key={`${entry.seq}-${entry.kind}-${entry.run_id ?? ""}-${index}`} entry={entry} />
      ))}
    </ol>
  );
}

function scrollToEnd(el: HTMLPreElement | null) {
  if (el) el.scrollTop = el.scrollHeight;
}

function TimelineRow({ entry }: { entry: TimelineEntry }) {
  return (
    <li
      className={"tl-entry" + (entry.failure ? " tl-failure" : "")}
      data-kind={entry.kind}
      data-commit={entry.commit ?? undefined}
    >
      <div className="tl-head">
        <time className="muted" dateTime={new Date(entry.time_ms).toISOString()}>
          {formatTime(entry.time_ms)}
        </time>
        <span className="tl-title" title={entry.commit ?? undefined}>
          {stripAnsi(entry.title)}
        </span>
        {entry.run_id !== null ? (
          <Link href={`/runs/${entry.run_id}`} className="tl-run">
            run {entry.run_id}
          </Link>
        ) : null}
      </div>
      {entry.tools.length > 0 ? (
        <div className="tl-tools muted">
          {entry.tool_calls} tool call{entry.tool_calls === 1 ? "" : "s"}:{" "}
          {entry.tools.map((tool) => `${tool.name} ×${tool.count}`).join(", ")}
        </div>
      ) : null}
      {entry.paths.length > 0 ? (
        <ul className="tl-paths">
          {entry.paths.map((path) => (
            <li key={path}>
              <code>{path}</code>
            </li>
          ))}
        </ul>
      ) : null}
      {entry.detail ? (
        // Scrolled to its end: the last lines of a gate's output say the most.
        <pre className="tl-detail" ref={scrollToEnd}>
          {stripAnsi(entry.detail)}
        </pre>
      ) : null}
    </li>
  );
}
