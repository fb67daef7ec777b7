// One item on the board: id, type, name, flags, its active agents and its cost so far.
import { memo } from "react";
import type { PipelineItem } from "../api/types";
import { AgentLozenge } from "./AgentLozenge";
import { Link } from "./Link";
import { formatUsd } from "../format";

export const Card = memo(function Card({ item }: { item: PipelineItem }) {
  const flags = item.flags;
  return (
    <Link
      className="card"
      href={`/items/${encodeURIComponent(item.id)}`}
      data-id={item.id}
      data-stage={item.stage}
      aria-label={`${item.number} ${item.type} ${item.name}`}
    >
      <span className="card-head">
        <span className="card-id">#{item.number}</span>
        <span className="badge" data-type={item.type}>
          {item.type}
        </span>
        <span className="card-cost" title="cost so far">
          {item.cost_usd === null ? "–" : formatUsd(item.cost_usd)}
        </span>
      </span>
      <span className="card-name">{item.name}</span>
      <span className="card-flags">
        {flags.blocked ? (
          <span className="flag flag-blocked" title={flags.blocked_reason ?? "blocked"}>
            blocked
          </span>
        ) : null}
        {flags.review_hold ? <span className="flag flag-hold">review hold</span> : null}
        {flags.merge_failure ? (
          <span className="flag flag-merge" title={flags.merge_failure}>
            merge failed
          </span>
        ) : null}
        {flags.retry_count > 0 ? (
          <span className="flag flag-retry">retries {flags.retry_count}</span>
        ) : null}
      </span>
      {/* Always present, with a reserved height: an agent arriving never shifts the column. */}
      <span className="card-agents">
        {item.agents.map((run) => (
          <AgentLozenge key={run.run_id} agent={run.agent} model={run.model} status={run.status} />
        ))}
      </span>
    </Link>
  );
});
