// The agents' permission questions waiting for a person (docs/permissions.md): each with the
// agent, the item, the tool and its input, and Allow / Deny / Always allow. Reloaded from
// GET /api/permissions whenever the agents stream says one was asked or answered.
import { useEffect, useState } from "react";
import { api, ApiError } from "../api/client";
import type { PermissionRequest } from "../api/types";
import { useBoard } from "../state/BoardProvider";

export function PermissionPanel() {
  const { state } = useBoard();
  const [requests, setRequests] = useState<PermissionRequest[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let current = true;
    api
      .permissions()
      .then((answer) => {
        if (current) setRequests(answer.permissions);
      })
      .catch((failure: unknown) => {
        // A server without permission requests (503) shows nothing.
        if (current && !(failure instanceof ApiError && failure.status === 503))
          setError(String(failure instanceof Error ? failure.message : failure));
      });
    return () => {
      current = false;
    };
  }, [state.permissions, reload]);

  if (requests.length === 0 && !error) return null;
  const decide = (request: PermissionRequest, allow: boolean, always: boolean) => {
    const message = allow ? undefined : (window.prompt("Why (the agent reads this)?") ?? undefined);
    api
      .decidePermission(request.id, allow ? "allow" : "deny", always, message || undefined)
      .then(() => setError(null))
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => setReload((n) => n + 1));
  };
  return (
    <section className="permissions" aria-label="permission requests">
      <h2>Permission requests</h2>
      {error ? <div className="problems">{error}</div> : null}
      {requests.map((request) => (
        <div key={request.id} className="permission" data-permission={request.id}>
          <div>
            <strong>{request.agent || "an agent"}</strong> on {request.story_id || "-"} asks for{" "}
            <code>{request.tool_name}</code>
          </div>
          <pre className="permission-input">{describeInput(request.input)}</pre>
          {request.rules_error ? <div className="problems">{request.rules_error}</div> : null}
          <div className="permission-actions">
            <button type="button" onClick={() => decide(request, true, false)}>
              Allow
            </button>
            <button type="button" onClick={() => decide(request, true, true)}>
              Always allow
            </button>
            <button type="button" onClick={() => decide(request, false, false)}>
              Deny
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}

/** A Bash command as written; any other input as indented JSON. */
export function describeInput(input: unknown): string {
  if (input && typeof input === "object" && "command" in input) {
    const command = input.command;
    if (typeof command === "string") return command;
  }
  return JSON.stringify(input, null, 2);
}
