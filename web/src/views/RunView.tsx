// One run's output on a page of its own, naming the item it worked on (a link back to it).
import { useCallback } from "react";
import { api } from "../api/client";
import { Link } from "../components/Link";
import { MessageBox } from "../components/MessageBox";
import { RunOutput } from "../components/RunOutput";
import { useAsync } from "../components/useAsync";
import { useBoard } from "../state/BoardProvider";

export function RunView({ run }: { run: number }) {
  const { state } = useBoard();
  const page = useAsync(useCallback(() => api.runEvents(run, 0, 1), [run]), "");
  const record = page.data?.run ?? null;
  const card = record ? state.items[record.story_id] : undefined;
  return (
    <div className="run-view">
      <h1>Run {run}</h1>
      {record ? (
        <p className="run-item">
          {record.agent} on{" "}
          <Link href={`/items/${encodeURIComponent(record.story_id)}`} className="run-item-link">
            {card ? `#${card.number} ${card.name}` : record.story_id}
          </Link>
        </p>
      ) : page.error ? (
        <p className="error">{page.error.message}</p>
      ) : null}
      {record && !record.finished ? <MessageBox run={run} /> : null}
      <RunOutput run={run} height="calc(100vh - 13rem)" />
    </div>
  );
}
