// Every configured agent with its status and current item; the merge queue with the running
// job's progress and the last failure's conflicted paths.
import { api } from "../api/client";
import type { MergeJob } from "../api/types";
import { AgentLozenge } from "../components/AgentLozenge";
import { Link } from "../components/Link";
import { useAsync } from "../components/useAsync";
import { formatTime } from "../format";
import { useBoard } from "../state/BoardProvider";

// The merge job's steps in order (src/engine/merge_flow.cpp).
const MERGE_STEPS = ["squashing", "squashed", "gating", "advancing", "advanced", "finishing"];
const loadMerge = () => api.merge();

export function RosterView() {
  const { state } = useBoard();
  const merge = useAsync(loadMerge, state.lastSeq);
  const agents = state.agents ?? [];
  const failure = state.items
    ? Object.values(state.items).find((item) => item.stage === "merge" && item.flags.merge_failure)
    : undefined;
  return (
    <div className="roster-view">
      <section>
        <h1>Agents</h1>
        <table className="table roster">
          <thead>
            <tr>
              <th>agent</th>
              <th>stage</th>
              <th>runtime</th>
              <th>item</th>
              <th>last run</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => (
              <tr key={agent.name} data-agent={agent.name}>
                <td>
                  <AgentLozenge agent={agent.name} model={agent.model} status={agent.status} />
                  {!agent.configured ? <span className="muted"> (not configured)</span> : null}
                </td>
                <td>{agent.stage}</td>
                <td>{agent.runtime}</td>
                <td>
                  {agent.story_id ? <Link href={`/items/${encodeURIComponent(agent.story_id)}`}>{agent.story_id}</Link> : "–"}
                </td>
                <td>
                  {agent.last_run ? (
                    <Link href={`/runs/${agent.last_run.id}`}>
                      {agent.last_run.story_id} · {agent.last_run.status}
                    </Link>
                  ) : (
                    "–"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {agents.length === 0 ? <p className="muted">No agents configured.</p> : null}
      </section>
      <section className="merge-queue">
        <h1>Merge queue</h1>
        {merge.data ? (
          <>
            {merge.data.running ? (
              <MergeProgress job={merge.data.running} />
            ) : (
              <p className="muted">No merge running.</p>
            )}
            <h2>Queued</h2>
            {merge.data.queued.length ? (
              <ol>
                {merge.data.queued.map((id) => (
                  <li key={id}>
                    <Link href={`/items/${encodeURIComponent(id)}`}>{id}</Link>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted">Empty.</p>
            )}
            <h2>Last failure</h2>
            <LastFailure recent={merge.data.recent} flagged={failure?.flags.merge_failure} flaggedId={failure?.id} />
            <h2>Recent</h2>
            <ul className="recent-merges">
              {merge.data.recent.slice(0, 10).map((job) => (
                <li key={String(job.id)}>
                  <Link href={`/items/${encodeURIComponent(job.story)}`}>{job.story}</Link> · {job.step}
                  {job.commit ? <code> {job.commit.slice(0, 10)}</code> : null}{" "}
                  <span className="muted">{formatTime(job.updated_at_ms)}</span>
                </li>
              ))}
            </ul>
          </>
        ) : merge.error ? (
          <p className="error">{merge.error.message}</p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    </div>
  );
}

export function MergeProgress({ job }: { job: MergeJob }) {
  const index = MERGE_STEPS.indexOf(job.step);
  return (
    <div className="merge-running">
      <p>
        Merging <Link href={`/items/${encodeURIComponent(job.story)}`}>{job.story}</Link>: {job.step}
        {job.detail ? <span className="muted"> — {job.detail}</span> : null}
      </p>
      <ol className="steps">
        {MERGE_STEPS.map((step, i) => (
          <li key={step} className={i < index ? "step-done" : i === index ? "step-now" : ""}>
            {step}
          </li>
        ))}
      </ol>
    </div>
  );
}

export function LastFailure({ recent, flagged, flaggedId }: { recent: MergeJob[]; flagged?: string; flaggedId?: string }) {
  const failed = recent.find((job) => job.step === "failed" || /fail|conflict/i.test(job.detail ?? ""));
  const text = flagged ?? failed?.detail ?? null;
  if (!text) return <p className="muted">None.</p>;
  const paths = conflictedPaths(text);
  return (
    <div className="merge-failure">
      <p>
        <Link href={`/items/${encodeURIComponent(flaggedId ?? failed?.story ?? "")}`}>{flaggedId ?? failed?.story}</Link>
      </p>
      {paths.length ? (
        <ul>
          {paths.map((p) => (
            <li key={p}>
              <code>{p}</code>
            </li>
          ))}
        </ul>
      ) : null}
      <pre className="gate-output">{text}</pre>
    </div>
  );
}

/** The conflicted paths of a merge failure: the server lists them as "- path" lines after
 * "merge conflict with <base> in N file(s):" (src/engine/merge_flow.cpp). */
export function conflictedPaths(text: string): string[] {
  if (!/conflict/i.test(text)) return [];
  return text
    .split("\n")
    .filter((line) => line.startsWith("- "))
    .map((line) => line.slice(2).trim())
    .filter(Boolean);
}
