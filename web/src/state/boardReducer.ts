// The board's state as a pure function of what arrived: the REST snapshot of /api/pipeline,
// the /ws pipeline events (with their global seq) and agent status changes.
//
// Rules (docs/api.md "WebSocket"): an event with a seq at or below the last one seen is a
// duplicate (a replay overlapping what we had) and is ignored; a seq more than one past the
// last one is a gap: the event is applied as far as it can be and a REST refetch is asked for
// (`refetch` goes up; the hook watching it reloads /api/pipeline). A `resync` (the server
// dropped our subscriptions) also asks for a refetch, and for a resubscribe.
import type {
  ActiveRun,
  AgentInfo,
  AgentStatusMessage,
  PipelineEventMessage,
  PipelineItem,
  PipelineResponse,
  ServerMessage,
  Stage,
} from "../api/types";
import { ACTIVE_STATUSES, STAGES } from "../api/types";
import type { ConnectionState } from "../ws/socket";

export interface BoardState {
  items: Record<string, PipelineItem>;
  loaded: boolean;
  problems: string[];
  /** The last pipeline seq applied; null until the first event (a live-only subscription). */
  lastSeq: number | null;
  /** Goes up each time the state cannot be kept exact from events alone. */
  refetch: number;
  /** Goes up when the server ended our subscriptions (resync): subscribe again. */
  resubscribe: number;
  connection: ConnectionState;
  agents: AgentInfo[] | null;
  /** Goes up whenever a permission question is asked or answered: the panel reloads. */
  permissions: number;
  /** Per item id, the seq of the last pipeline event about it (the item view's timeline
   * reloads when it changes). */
  itemSeq: Record<string, number>;
}

export type BoardAction =
  | { type: "snapshot"; pipeline: PipelineResponse }
  | { type: "agents"; agents: AgentInfo[] }
  | { type: "connection"; state: ConnectionState }
  | { type: "messages"; messages: ServerMessage[] };

export const initialBoard: BoardState = {
  items: {},
  loaded: false,
  problems: [],
  lastSeq: null,
  refetch: 0,
  resubscribe: 0,
  connection: "connecting",
  agents: null,
  permissions: 0,
  itemSeq: {},
};

export function boardReducer(state: BoardState, action: BoardAction): BoardState {
  switch (action.type) {
    case "snapshot": {
      const items: Record<string, PipelineItem> = {};
      for (const stage of STAGES)
        for (const item of action.pipeline.stages[stage] ?? []) items[item.id] = item;
      return { ...state, items, loaded: true, problems: action.pipeline.problems ?? [] };
    }
    case "agents":
      return { ...state, agents: action.agents };
    case "connection":
      return state.connection === action.state ? state : { ...state, connection: action.state };
    case "messages": {
      let next = state;
      for (const message of action.messages) next = applyMessage(next, message);
      return next;
    }
  }
}

function applyMessage(state: BoardState, message: ServerMessage): BoardState {
  switch (message.type) {
    case "pipeline_event":
      return applyPipelineEvent(state, message);
    case "agent_status":
      return applyAgentStatus(state, message);
    case "resync":
      return {
        ...state,
        refetch: state.refetch + 1,
        resubscribe: state.resubscribe + 1,
        permissions: state.permissions + 1,
      };
    case "permission":
      return { ...state, permissions: state.permissions + 1 };
    default:
      return state;
  }
}

// Events whose effect on the card the event itself does not carry: reload the pipeline.
const REFETCH_EVENTS = new Set([
  "created",
  "item_changed",
  "assigned",
  "merged",
  "pruned",
  "completion_started",
  "qa_approved",
  "qa_rejected",
  "work_reloaded",
]);

function applyPipelineEvent(state: BoardState, event: PipelineEventMessage): BoardState {
  if (state.lastSeq !== null && event.seq <= state.lastSeq) return state; // duplicate
  const gap = state.lastSeq !== null && event.seq > state.lastSeq + 1;
  let next: BoardState = { ...state, lastSeq: event.seq };
  if (event.story) next.itemSeq = { ...state.itemSeq, [event.story]: event.seq };
  const item = state.items[event.story];
  const payload = event.payload ?? {};
  const card = cardFrom(payload.item, item);
  if (card) {
    // A change seen on disk (docs/api.md "WebSocket"): the event carries the whole card.
    const items = { ...next.items };
    if (event.event_type === "item_removed") delete items[event.story];
    else items[card.id] = card;
    next = { ...next, items };
    if (gap) next.refetch = state.refetch + 1;
    return next;
  }
  if (event.event_type === "item_removed") {
    const items = { ...next.items };
    delete items[event.story];
    next = { ...next, items };
    if (gap) next.refetch = state.refetch + 1;
    return next;
  }
  let refetch = gap || REFETCH_EVENTS.has(event.event_type);
  if (item) {
    const updated = updateItem(item, event.event_type, payload);
    if (updated !== item) next = { ...next, items: { ...next.items, [item.id]: updated } };
  } else if (event.event_type === "work_reloaded" || (event.story && event.event_type !== "pruned")) {
    refetch = true; // an item we do not have yet
  }
  if (refetch) next.refetch = state.refetch + 1;
  return next;
}

function updateItem(
  item: PipelineItem,
  type: string,
  payload: Record<string, unknown>,
): PipelineItem {
  const flags = item.flags;
  switch (type) {
    case "moved": {
      const to = payload.to as Stage | undefined;
      if (!to || !STAGES.includes(to) || to === item.stage) return item;
      return { ...item, stage: to };
    }
    case "blocked":
      return {
        ...item,
        flags: { ...flags, blocked: true, blocked_reason: str(payload.reason) ?? flags.blocked_reason },
      };
    case "unblocked":
      return {
        ...item,
        retry_count: 0,
        flags: {
          ...flags,
          blocked: false,
          blocked_reason: undefined,
          merge_failure: undefined,
          retry_count: 0,
        },
      };
    case "review_hold":
      return { ...item, flags: { ...flags, review_hold: true } };
    case "qa_approved":
    case "qa_rejected":
      return { ...item, flags: { ...flags, review_hold: false } };
    case "retry": {
      const count = typeof payload.retry_count === "number" ? payload.retry_count : flags.retry_count;
      return { ...item, retry_count: count, flags: { ...flags, retry_count: count } };
    }
    case "merge_failed": {
      // The same text the server writes to the front matter: the reason, then "- path" lines.
      const paths = Array.isArray(payload.conflicted) ? payload.conflicted.map(String) : [];
      const reason = str(payload.reason) ?? "merge failed";
      const text = paths.length ? reason + ":" + paths.map((p) => "\n- " + p).join("") : reason;
      return { ...item, flags: { ...flags, merge_failure: text } };
    }
    case "merge_recovered":
    case "merged":
      return flags.merge_failure === undefined
        ? item
        : { ...item, flags: { ...flags, merge_failure: undefined } };
    default:
      return item;
  }
}

function applyAgentStatus(state: BoardState, message: AgentStatusMessage): BoardState {
  const active = ACTIVE_STATUSES.has(message.status);
  let next = state;
  const item = state.items[message.story];
  if (item) {
    const others = item.agents.filter((run) => run.run_id !== message.run_id);
    const previous = item.agents.find((run) => run.run_id === message.run_id);
    const agents: ActiveRun[] = active
      ? [
          ...others,
          {
            agent: message.agent,
            model: message.model ?? previous?.model ?? null,
            status: message.status,
            run_id: message.run_id,
            started_at_ms: previous?.started_at_ms ?? message.time_ms,
          },
        ]
      : others;
    next = { ...next, items: { ...next.items, [item.id]: { ...item, agents } } };
  }
  if (state.agents) {
    next = {
      ...next,
      agents: state.agents.map((agent) =>
        agent.name !== message.agent
          ? agent
          : active
            ? {
                ...agent,
                status: message.status as AgentInfo["status"],
                story_id: message.story,
                run_id: message.run_id,
                model: message.model ?? agent.model,
              }
            : agent.run_id === message.run_id || agent.run_id === null
              ? { ...agent, status: "idle", story_id: null, run_id: null }
              : agent,
      ),
    };
  }
  // A run that ended changed the item's cost; a coder started on a backlog item moved it to
  // current without a pipeline event; an item we do not have: reload.
  if (!active || !item || item.stage === "backlog") next = { ...next, refetch: next.refetch + 1 };
  return next;
}

/** The items of each stage, ordered by number (the server's order); `filter` matches the
 * id or the name, case-insensitively. */
export function columns(
  items: Record<string, PipelineItem>,
  filter = "",
): Record<Stage, PipelineItem[]> {
  const needle = filter.trim().toLowerCase();
  const out = Object.fromEntries(STAGES.map((stage) => [stage, [] as PipelineItem[]])) as Record<
    Stage,
    PipelineItem[]
  >;
  for (const item of Object.values(items)) {
    if (needle && !item.id.toLowerCase().includes(needle) && !item.name.toLowerCase().includes(needle))
      continue;
    out[item.stage]?.push(item);
  }
  for (const stage of STAGES) out[stage].sort((a, b) => a.number - b.number);
  return out;
}

// The card an event carries (`item`), with what only the snapshot knows (runs, cost) kept.
function cardFrom(value: unknown, known: PipelineItem | undefined): PipelineItem | null {
  if (!value || typeof value !== "object") return null;
  const card = value as Partial<PipelineItem>;
  if (typeof card.id !== "string" || !card.stage || !STAGES.includes(card.stage)) return null;
  if (!card.flags || typeof card.name !== "string") return null;
  return {
    id: card.id,
    number: typeof card.number === "number" ? card.number : 0,
    type: str(card.type) ?? "story",
    name: card.name,
    stage: card.stage,
    agent: str(card.agent) ?? null,
    depends_on: Array.isArray(card.depends_on) ? card.depends_on.map(String) : [],
    retry_count: typeof card.retry_count === "number" ? card.retry_count : 0,
    flags: card.flags,
    agents: known?.agents ?? [],
    cost_usd: known?.cost_usd ?? null,
  };
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
