// An agent as a lozenge: name, model and a status dot (idle, running, throttled, blocked).
import type { AgentStatus, RunStatus } from "../api/types";

export function AgentLozenge({
  agent,
  model,
  status,
}: {
  agent: string;
  model: string | null;
  status: AgentStatus | RunStatus;
}) {
  return (
    <span className="lozenge" data-status={status} title={`${agent}: ${status}`}>
      <span className="dot" aria-hidden="true" />
      <span className="lozenge-name">{agent}</span>
      {model ? <span className="lozenge-model">{model}</span> : null}
      <span className="sr-only">{status}</span>
    </span>
  );
}
