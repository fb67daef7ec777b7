// What a person can do with an item: start (with an agent picker), stop, approve or reject
// QA with notes, unblock, move. Only what the server would accept is offered: the item JSON's
// `actions` (ops/item_actions.hpp) says which. A refusal shows the server's message as an alert.
import { useState } from "react";
import { api, ApiError } from "../api/client";
import type { ActiveRun, AgentInfo, ItemActions as Legal, ItemDetail, Stage } from "../api/types";
import { STAGES } from "../api/types";

/** The item's legal actions; a server older than the field gets the old guesses. */
export function legalActions(item: ItemDetail): Legal {
  if (item.actions) return item.actions;
  return {
    start: item.stage !== "done" && item.stage !== "archived",
    unblock: item.blocked || item.merge_failure !== null || item.retry_count > 0,
    request_qa: item.stage === "current",
    approve_qa: item.stage === "qa",
    reject_qa: item.stage === "qa",
    moves: STAGES.filter((s) => s !== item.stage),
  };
}

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
  const legal = legalActions(item);
  const [stage, setStage] = useState<Stage | "">("");
  const [message, setMessage] = useState<{ text: string; failed: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  // A button's call: busy meanwhile, then "done" or the server's message (it never throws).
  const act = (what: string, call: () => Promise<unknown>) => {
    const run = async () => {
      setBusy(true);
      setMessage(null);
      try {
        await call();
        setMessage({ text: `${what}: done`, failed: false });
        onDone();
      } catch (error) {
        setMessage({
          text: `${what} refused: ${error instanceof ApiError ? error.message : String(error)}`,
          failed: true,
        });
      } finally {
        setBusy(false);
      }
    };
    void run();
  };

  return (
    <div className="actions" aria-busy={busy}>
      {message ? (
        <p className={message.failed ? "action-error" : "action-message"} role={message.failed ? "alert" : "status"}>
          {message.text}
        </p>
      ) : null}
      <div className="action-row">
        {legal.start ? (
          <>
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
          </>
        ) : null}
        {active.map((run) => (
          <button key={run.run_id} disabled={busy} onClick={() => act("stop", () => api.stop(item.id, run.agent))}>
            Stop {run.agent}
          </button>
        ))}
      </div>
      {legal.approve_qa || legal.reject_qa ? (
        <div className="action-row">
          {legal.approve_qa ? (
            <button disabled={busy} onClick={() => act("approve", () => api.approve(item.id))}>
              Approve QA
            </button>
          ) : null}
          {legal.reject_qa ? (
            <>
              <input
                value={notes}
                onChange={(e) => setNotes(e.target.value)}
                placeholder="what to fix"
                aria-label="QA notes"
              />
              <button
                disabled={busy || !notes.trim()}
                onClick={() => act("reject", () => api.reject(item.id, notes.trim()))}
              >
                Reject QA
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      <div className="action-row">
        {legal.unblock ? (
          <button disabled={busy} onClick={() => act("unblock", () => api.unblock(item.id))}>
            Unblock
          </button>
        ) : null}
        <label>
          move to{" "}
          <select value={stage} onChange={(e) => setStage(e.target.value as Stage | "")} aria-label="stage to move to">
            <option value="">{legal.moves.length > 0 ? "(pick a stage)" : "(none)"}</option>
            {legal.moves.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button
          disabled={busy || stage === ""}
          onClick={() => {
            if (stage !== "") act("move", () => api.move(item.id, stage));
          }}
        >
          Move
        </button>
      </div>
    </div>
  );
}
