// What a person can do with an item: start (with an agent picker), stop, approve or reject
// QA with notes, unblock, move. Errors show the server's message next to the buttons.
import { useState } from "react";
import { api, ApiError } from "../api/client";
import type { ActiveRun, AgentInfo, ItemDetail, Stage } from "../api/types";
import { STAGES } from "../api/types";

export function ItemActions({
  item,
  agents,
  active,
  onDone,
}: {
  item: ItemDetail;
  agents: AgentInfo[];
  active: ActiveRun[];
  onDone: () => void;
}) {
  const [agent, setAgent] = useState("");
  const [notes, setNotes] = useState("");
  const [stage, setStage] = useState<Stage>(item.stage);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // A button's call: busy meanwhile, then "done" or the server's message (it never throws).
  const act = (what: string, call: () => Promise<unknown>) => {
    const run = async () => {
      setBusy(true);
      setMessage(null);
      try {
        await call();
        setMessage(`${what}: done`);
        onDone();
      } catch (error) {
        setMessage(`${what}: ${error instanceof ApiError ? error.message : String(error)}`);
      } finally {
        setBusy(false);
      }
    };
    void run();
  };

  return (
    <div className="actions" aria-busy={busy}>
      <div className="action-row">
        <label>
          agent{" "}
          <select value={agent} onChange={(e) => setAgent(e.target.value)} aria-label="agent to start">
            <option value="">(auto)</option>
            {agents
              .filter((a) => a.configured)
              .map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name} · {a.stage} · {a.status}
                </option>
              ))}
          </select>
        </label>
        <button disabled={busy} onClick={() => act("start", () => api.start(item.id, agent || undefined))}>
          Start
        </button>
        {active.map((run) => (
          <button key={run.run_id} disabled={busy} onClick={() => act("stop", () => api.stop(item.id, run.agent))}>
            Stop {run.agent}
          </button>
        ))}
      </div>
      {item.stage === "qa" ? (
        <div className="action-row">
          <button disabled={busy} onClick={() => act("approve", () => api.approve(item.id))}>
            Approve QA
          </button>
          <input
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            placeholder="what to fix"
            aria-label="QA notes"
          />
          <button disabled={busy || !notes.trim()} onClick={() => act("reject", () => api.reject(item.id, notes.trim()))}>
            Reject QA
          </button>
        </div>
      ) : null}
      <div className="action-row">
        {item.blocked || item.merge_failure || item.retry_count > 0 ? (
          <button disabled={busy} onClick={() => act("unblock", () => api.unblock(item.id))}>
            Unblock
          </button>
        ) : null}
        <label>
          move to{" "}
          <select value={stage} onChange={(e) => setStage(e.target.value as Stage)} aria-label="stage to move to">
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button disabled={busy || stage === item.stage} onClick={() => act("move", () => api.move(item.id, stage))}>
          Move
        </button>
      </div>
      {message ? (
        <p className="action-message" role="status">
          {message}
        </p>
      ) : null}
    </div>
  );
}
