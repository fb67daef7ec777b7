// The pipeline board: one column per stage; Archived is collapsed until opened.
// Cards use `content-visibility: auto` so 2,000 of them render quickly, and fixed-size
// structure so arriving events never shift the layout.
import { memo, useEffect, useMemo, useRef, useState } from "react";
import type { KeyboardEvent } from "react";
import type { PipelineItem, Stage } from "../api/types";
import { STAGES } from "../api/types";
import { Card } from "../components/Card";
import { PermissionPanel } from "../components/PermissionPanel";
import { columns } from "../state/boardReducer";
import { useBoard } from "../state/BoardProvider";

export const STAGE_TITLES: Record<Stage, string> = {
  backlog: "Backlog",
  current: "Current",
  qa: "QA",
  merge: "Merge",
  done: "Done",
  archived: "Archived",
};

let markedFirstRender = false;

export function BoardView() {
  const { state } = useBoard();
  const [filter, setFilter] = useState("");
  const byStage = useMemo(() => columns(state.items, filter), [state.items, filter]);
  const [archivedOpen, setArchivedOpen] = useState(false);
  const boardRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // The browser test reads this mark: navigation start → the first board with its items.
    if (state.loaded && !markedFirstRender) {
      markedFirstRender = true;
      performance.mark("stork:board-rendered");
      // The frame after: style, layout and paint of the cards are done by then.
      requestAnimationFrame(() => setTimeout(() => performance.mark("stork:board-painted"), 0));
    }
  }, [state.loaded]);

  return (
    <div className="board" ref={boardRef} onKeyDown={(event) => moveFocus(event, boardRef.current)}>
      {state.problems.length > 0 ? (
        <div className="problems" role="status">
          {state.problems.map((problem) => (
            <div key={problem}>{problem}</div>
          ))}
        </div>
      ) : null}
      <PermissionPanel />
      <div className="board-tools">
        <input
          id="filter"
          type="search"
          placeholder="filter (/)"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="filter items"
        />
        <span className="muted item-count">{countLabel(Object.keys(state.items).length)}</span>
      </div>
      <div className="columns">
        {STAGES.map((stage) =>
          stage === "archived" && !archivedOpen ? (
            <section className="column column-collapsed" key={stage} data-stage={stage}>
              <button className="column-toggle" onClick={() => setArchivedOpen(true)}>
                {STAGE_TITLES[stage]} <span className="count">{byStage[stage].length}</span>
              </button>
            </section>
          ) : (
            <Column
              key={stage}
              stage={stage}
              items={byStage[stage]}
              onCollapse={stage === "archived" ? () => setArchivedOpen(false) : undefined}
            />
          ),
        )}
      </div>
      {!state.loaded ? <p className="muted">Loading the pipeline…</p> : null}
    </div>
  );
}

function countLabel(count: number): string {
  return count === 1 ? "1 item" : `${count} items`;
}

const Column = memo(function Column({
  stage,
  items,
  onCollapse,
}: {
  stage: Stage;
  items: PipelineItem[];
  onCollapse?: () => void;
}) {
  return (
    <section className="column" data-stage={stage} aria-label={STAGE_TITLES[stage]}>
      <h2 className="column-title">
        {STAGE_TITLES[stage]} <span className="count">{items.length}</span>
        {onCollapse ? (
          <button className="link-button" onClick={onCollapse} aria-label="collapse archived">
            ▾
          </button>
        ) : null}
      </h2>
      <div className="column-cards">
        {items.map((item) => (
          <Card key={item.id} item={item} />
        ))}
        {items.length === 0 ? <p className="empty">—</p> : null}
      </div>
    </section>
  );
});

// Arrow keys (and j/k/h/l) move between cards: up/down within a column, left/right across.
function moveFocus(event: KeyboardEvent, board: HTMLElement | null) {
  if (!board) return;
  const target = event.target as HTMLElement;
  if (!target.classList.contains("card")) return;
  const key = event.key;
  const vertical = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 } as Record<string, number>;
  const horizontal = { ArrowRight: 1, l: 1, ArrowLeft: -1, h: -1 } as Record<string, number>;
  const column = target.closest(".column");
  if (!column) return;
  if (key in vertical) {
    const cards = Array.from(column.querySelectorAll<HTMLElement>(".card"));
    const next = cards[cards.indexOf(target) + vertical[key]];
    next?.focus();
    event.preventDefault();
  } else if (key in horizontal) {
    const columnsList = Array.from(board.querySelectorAll<HTMLElement>(".column"));
    let index = columnsList.indexOf(column as HTMLElement);
    for (;;) {
      index += horizontal[key];
      const next = columnsList[index];
      if (!next) break;
      const card = next.querySelector<HTMLElement>(".card");
      if (card) {
        card.focus();
        break;
      }
    }
    event.preventDefault();
  }
}
