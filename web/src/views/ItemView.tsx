// One item: its text, acceptance criteria (tickable), front-matter flags, runs and their
// outcome, the last gate's output, the branch diff, actions, and a run's live output.
import { useCallback, useState } from "react";
import { api, ApiError } from "../api/client";
import type { ItemDetail, RunRecord } from "../api/types";
import { AgentLozenge } from "../components/AgentLozenge";
import { DiffView } from "../components/DiffView";
import { ItemActions } from "../components/ItemActions";
import { Link } from "../components/Link";
import { Markdown, withoutCriteria } from "../components/Markdown";
import { RunOutput } from "../components/RunOutput";
import { Timeline } from "../components/Timeline";
import { useAsync } from "../components/useAsync";
import { formatTime, formatUsd } from "../format";
import { useBoard } from "../state/BoardProvider";
import { STAGE_TITLES } from "./BoardView";

export function ItemView({ id }: { id: string }) {
  const { state, refresh } = useBoard();
  const card = Object.values(state.items).find((item) => item.id === id || String(item.number) === id);
  // Anything the board learns about this item (a move, a flag, a run) reloads the details.
  const version = card
    ? JSON.stringify([card.stage, card.flags, card.agents.map((a) => [a.run_id, a.status]), card.cost_usd])
    : "";
  // The details and the timeline also follow every pipeline event of this item (an edit by
  // hand, a gate result, a retry) that the socket brings.
  const itemSeq = card ? (state.itemSeq[card.id] ?? 0) : 0;
  const detail = useAsync(useCallback(() => api.item(id), [id]), `${version}|${itemSeq}`);
  const runs = useAsync(useCallback(() => api.runs(id, 50), [id]), version);
  const diff = useAsync(useCallback(() => api.diff(id), [id]), version);
  const gate = useAsync(useCallback(() => api.gate(id), [id]), version);
  const timeline = useAsync(useCallback(() => api.timeline(id), [id]), `${version}|${itemSeq}`);
  // The run whose output is shown: the one picked, else the newest.
  const [pickedRun, setPickedRun] = useState<number | null>(null);
  const runList = runs.data?.runs ?? [];
  const selectedRun = pickedRun ?? (runList.length > 0 ? runList[0].id : null);

  if (detail.error && !detail.data)
    return <p className="error">Item {id}: {detail.error.message}</p>;
  const item = detail.data;
  if (!item) return <p className="muted">Loading item {id}…</p>;
  const reload = () => {
    detail.reload();
    runs.reload();
    timeline.reload();
    refresh();
  };

  return (
    <article className="item-view" data-id={item.id}>
      <header className="item-head">
        <Link href="/" className="back">
          ← board
        </Link>
        <h1>
          <span className="card-id">#{item.number}</span> {item.name}
        </h1>
        <div className="item-meta">
          <span className="badge" data-type={item.type}>{item.type}</span>
          <span className="stage-pill" data-stage={item.stage}>{STAGE_TITLES[item.stage]}</span>
          {card?.agents.map((run) => (
            <AgentLozenge key={run.run_id} agent={run.agent} model={run.model} status={run.status} />
          ))}
          {card && card.cost_usd !== null ? <span className="muted">{formatUsd(card.cost_usd)}</span> : null}
        </div>
      </header>

      <ItemActions item={item} agents={state.agents ?? []} active={card?.agents ?? []} onDone={reload} />

      <div className="item-grid">
        <div className="item-main">
          <section>
            <h2>Acceptance criteria</h2>
            <CriteriaStatus item={item} />
            <Criteria item={item} onChange={detail.reload} />
          </section>
          <section className="item-timeline">
            <h2>Timeline</h2>
            {timeline.data ? (
              <Timeline entries={timeline.data.entries} />
            ) : timeline.error ? (
              <p className="muted">{timeline.error.message}</p>
            ) : (
              <p className="muted">Loading…</p>
            )}
          </section>
          <section>
            <h2>Description</h2>
            <Markdown text={withoutCriteria(item.body)} />
          </section>
          <section>
            <h2>Diff</h2>
            {diff.data ? (
              <DiffView diff={diff.data} />
            ) : diff.error ? (
              <p className="muted">
                {diff.error instanceof ApiError && diff.error.status === 404
                  ? "No branch for this item yet."
                  : diff.error.message}
              </p>
            ) : (
              <p className="muted">Loading…</p>
            )}
          </section>
        </div>
        <aside className="item-side">
          <section>
            <h2>Front matter</h2>
            <FrontMatter item={item} />
          </section>
          <section>
            <h2>Runs</h2>
            <RunList runs={runList} selected={selectedRun} onSelect={setPickedRun} />
          </section>
          <section>
            <h2>Last gate</h2>
            {gate.data?.gate ? (
              <div className="gate" data-outcome={gate.data.gate.outcome ?? "running"}>
                <p className="muted">
                  {gate.data.gate.kind === "merge" ? "on the merged tree" : "completion"} ·{" "}
                  <span className="gate-outcome">{gate.data.gate.outcome ?? "running"}</span> ·{" "}
                  {formatTime(gate.data.gate.time_ms)}
                  {gate.data.gate.truncated ? " · last 64 KiB" : ""}
                </p>
                <pre className="gate-output">{gate.data.gate.output}</pre>
              </div>
            ) : (
              <p className="muted">No gate run yet.</p>
            )}
          </section>
        </aside>
      </div>
      {selectedRun !== null ? (
        <section className="item-output">
          <h2>
            Output <Link href={`/runs/${selectedRun}`}>(full page)</Link>
          </h2>
          <RunOutput key={selectedRun} run={selectedRun} height="45vh" />
        </section>
      ) : null}
    </article>
  );
}

/** What the item file says about its criteria, honestly: a merged item whose boxes nobody
 * ticked is not shown as failing them, nor as meeting them. */
export function CriteriaStatus({ item }: { item: ItemDetail }) {
  const { criteria_checked: checked, criteria_total: total } = item;
  if (total === 0) return null;
  const finished = item.stage === "done" || item.stage === "archived";
  const ended = item.type === "spike" ? "done" : "merged";
  let text = `${checked} of ${total} ticked`;
  if (finished && checked === total) text = `${ended}; all ${total} ticked`;
  else if (finished) text = `${ended} with ${checked} of ${total} ticked in the item file: no one ticked the others`;
  return (
    <p className="criteria-status muted" data-checked={checked} data-total={total}>
      {text}
    </p>
  );
}

function Criteria({ item, onChange }: { item: ItemDetail; onChange: () => void }) {
  const [error, setError] = useState<string | null>(null);
  if (item.criteria.length === 0) return <p className="muted">None.</p>;
  return (
    <>
      <ul className="criteria">
        {item.criteria.map((criterion) => (
          <li key={criterion.index}>
            <label>
              <input
                type="checkbox"
                checked={criterion.checked}
                onChange={(e) =>
                  void api
                    .check(item.id, criterion.index, e.target.checked)
                    .then(onChange)
                    .catch((err: Error) => setError(err.message))
                }
              />{" "}
              {criterion.text}
            </label>
          </li>
        ))}
      </ul>
      {error ? <p className="error">{error}</p> : null}
    </>
  );
}

function FrontMatter({ item }: { item: ItemDetail }) {
  const entries = Object.entries(item.front_matter ?? {});
  if (entries.length === 0) return <p className="muted">None.</p>;
  return (
    <dl className="front-matter">
      {entries.map(([key, value]) => (
        <div key={key} className={flagClass(key, value)}>
          <dt>{key}</dt>
          <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function flagClass(key: string, value: unknown): string {
  if ((key === "blocked" || key === "review_hold") && value === true) return "fm-flag";
  if (key === "merge_failure" && value) return "fm-flag";
  return "";
}

function RunList({
  runs,
  selected,
  onSelect,
}: {
  runs: RunRecord[];
  selected: number | null;
  onSelect: (run: number) => void;
}) {
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <ul className="runs">
      {runs.map((run) => (
        <li key={run.id}>
          <button className={"run-button" + (run.id === selected ? " selected" : "")} onClick={() => onSelect(run.id)}>
            <span>#{run.id}</span> <span>{run.agent}</span>{" "}
            <span className="run-status" data-status={run.status}>
              {run.status}
            </span>{" "}
            <span className="muted">{run.exit_reason ?? formatTime(run.started_at_ms)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
