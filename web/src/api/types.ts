// The shapes of the server's JSON (docs/api.md). Only the fields the board reads are typed.

export const STAGES = ["backlog", "current", "qa", "merge", "done", "archived"] as const;
export type Stage = (typeof STAGES)[number];

export type RunStatus =
  | "pending"
  | "running"
  | "throttled"
  | "blocked"
  | "completed"
  | "failed"
  | "stopped"
  | "interrupted";
export type AgentStatus = "idle" | "pending" | "running" | "throttled" | "blocked";

export interface ActiveRun {
  agent: string;
  model: string | null;
  status: RunStatus;
  run_id: number;
  started_at_ms: number | null;
}

export interface ItemFlags {
  blocked: boolean;
  review_hold: boolean;
  retry_count: number;
  merge_failure?: string;
  blocked_reason?: string;
}

export interface PipelineItem {
  id: string;
  number: number;
  type: string;
  name: string;
  stage: Stage;
  agent: string | null;
  depends_on: string[];
  retry_count: number;
  flags: ItemFlags;
  agents: ActiveRun[];
  cost_usd: number | null;
}

export interface PipelineResponse {
  stages: Record<Stage, PipelineItem[]>;
  problems: string[];
}

export interface Criterion {
  index: number;
  checked: boolean;
  text: string;
}

/** What a person may do with the item where it is (the server's rules, docs/items.md). */
export interface ItemActions {
  start: boolean;
  unblock: boolean;
  request_qa: boolean;
  approve_qa: boolean;
  reject_qa: boolean;
  moves: Stage[];
}

export interface TimelineEntry {
  time_ms: number;
  kind: string;
  title: string;
  detail: string;
  failure: boolean;
  seq: number;
  run_id: number | null;
  agent: string;
  commit: string | null;
  paths: string[];
  tools: { name: string; count: number }[];
  tool_calls: number;
}

export interface TimelineResponse {
  story: string;
  entries: TimelineEntry[];
}

export interface ItemDetail {
  id: string;
  number: number;
  type: string;
  slug: string;
  name: string;
  stage: Stage;
  path: string;
  agent: string | null;
  qa: string | null;
  manual_qa: boolean;
  blocked: boolean;
  blocked_reason: string | null;
  review_hold: boolean;
  merge_failure: string | null;
  retry_count: number;
  depends_on: string[];
  criteria_total: number;
  criteria_checked: number;
  criteria: Criterion[];
  front_matter: Record<string, unknown>;
  front_matter_keys: string[];
  body: string;
  problems: { line?: number; field?: string; message: string }[];
  /** Absent from servers older than the field. */
  actions?: ItemActions;
}

export interface RunRecord {
  id: number;
  story_id: string;
  agent: string;
  model: string | null;
  runtime: string;
  session_id: string | null;
  status: RunStatus;
  finished: boolean;
  started_at_ms: number | null;
  ended_at_ms: number | null;
  exit_reason: string | null;
  last_seq: number;
}

export interface AgentInfo {
  name: string;
  configured: boolean;
  stage: string;
  role?: string;
  runtime: string;
  model: string | null;
  status: AgentStatus;
  story_id: string | null;
  run_id: number | null;
  started_at_ms: number | null;
  blocked_until_ms: number | null;
  last_run: RunRecord | null;
}

export interface RunEvent {
  seq: number;
  time_ms: number;
  type: string;
  payload: Record<string, unknown>;
}

export interface RunEventsResponse {
  run: RunRecord;
  events: RunEvent[];
  last_seq: number;
  complete: boolean;
}

export interface DiffFile {
  path: string;
  old_path?: string;
  status: "added" | "modified" | "deleted" | "renamed";
  additions: number;
  deletions: number;
  binary: boolean;
  patch: string;
}

export interface DiffResponse {
  id: string;
  branch: string;
  base_branch: string;
  base_commit: string;
  head_commit: string;
  additions: number;
  deletions: number;
  truncated: boolean;
  files: DiffFile[];
  /** Set for a merged item: its branch is gone and this is its squash commit's diff. */
  merged_commit?: string;
}

export interface GateResponse {
  id: string;
  gate: null | {
    kind: "completion" | "merge";
    time_ms: number;
    /** null while the gate runs, or when a crash cut it short. */
    outcome?: "passed" | "failed" | null;
    bytes?: number;
    output: string;
    truncated: boolean;
  };
}

export interface MergeJob {
  id: number | string;
  story: string;
  step: string;
  detail: string | null;
  commit: string | null;
  updated_at_ms: number;
}

export interface MergeResponse {
  running: MergeJob | null;
  queued: string[];
  recent: MergeJob[];
}

export type UsageBy = "day" | "item" | "agent" | "model";

export interface UsageRow {
  key: string;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cost_usd: number;
  runs: number;
  records: number;
}

export interface UsageResponse {
  by: UsageBy;
  rows: UsageRow[];
  total: UsageRow;
}

export interface NewItem {
  name: string;
  type?: string;
  description?: string;
  acceptance_criteria?: string[];
  depends_on?: string[];
}

// /ws messages from the server.
export interface PipelineEventMessage {
  type: "pipeline_event";
  seq: number;
  time_ms: number;
  story: string;
  event_type: string;
  payload: Record<string, unknown>;
}
export interface RunEventMessage {
  type: "run_event";
  run_id: number;
  seq: number;
  time_ms: number;
  story: string;
  agent: string;
  event_type: string;
  payload: Record<string, unknown>;
}
export interface AgentStatusMessage {
  type: "agent_status";
  run_id: number;
  story: string;
  agent: string;
  model: string | null;
  status: RunStatus;
  time_ms: number;
}
export interface SubscribedMessage {
  type: "subscribed";
  pipeline?: boolean;
  run?: number;
  agents?: boolean;
  last_seq: number | null;
}
/** A notification (docs/notifications.md): GET /api/notifications and the /ws message. */
export interface NotificationRecord {
  id: number;
  key: string;
  time_ms: number;
  event: string;
  story: string;
  title: string;
  detail: string;
  link: string;
  read: boolean;
  read_at_ms?: number;
}

export interface NotificationsResponse {
  notifications: NotificationRecord[];
  unread: number;
}

/** An agent's permission question waiting for a person (GET /api/permissions). */
export interface PermissionRequest {
  id: string;
  agent: string;
  story_id: string;
  tool_name: string;
  input: unknown;
  tool_use_id: string;
  requested_at_ms: number;
  expires_at_ms: number;
  run_id: number | null;
  rules_error?: string;
}
/** The agents stream's news that a permission question was asked or answered. */
export interface PermissionMessage {
  type: "permission";
  run_id: number;
  story: string;
  agent: string;
  event_type: "permission_request" | "permission_decision";
  time_ms: number;
  payload: Record<string, unknown>;
}
export type ServerMessage =
  | { type: "notification"; notification: NotificationRecord }
  | PermissionMessage
  | PipelineEventMessage
  | RunEventMessage
  | AgentStatusMessage
  | SubscribedMessage
  | { type: "unsubscribed"; pipeline?: boolean; run?: number }
  | { type: "resync"; reason: string }
  | { type: "error"; message: string };

export const ACTIVE_STATUSES: ReadonlySet<string> = new Set([
  "pending",
  "running",
  "throttled",
  "blocked",
]);

// POST /api/runs/{run}/messages: whether the running agent reads the message now ("live") or at
// its next start on the item ("queued", with the reason).
export interface MessageReceipt {
  run_id: number;
  story_id: string;
  agent: string;
  delivery: "live" | "queued";
  reason?: string;
}

/** A project chat conversation (GET /api/chat; docs/project-chat.md). */
export interface ChatConversation {
  id: number;
  agent: string;
  title: string;
  story_id: string; // "chat-<id>": its runs' story
  created_at_ms: number;
  updated_at_ms: number;
}

export interface ChatLine {
  role: "person" | "agent";
  text: string;
  time_ms: number;
  run_id: number | null;
}

/** GET /api/chat/{id}: the conversation, its lines, its runs and their events. */
export interface ChatDetail extends ChatConversation {
  messages: ChatLine[];
  runs: RunRecord[];
  events: (RunEvent & { run_id: number })[];
  cost_usd: number;
}

export interface ChatReceipt {
  conversation_id: number;
  message_id: number;
  agent: string;
  run_id: number;
  delivery: "live" | "started";
}

/** GET /api/wizard: the setup wizard (docs/wizard.md). */
export type WizardStepName = "context" | "stack" | "gate" | "components" | "agents";
export type WizardStepState = "pending" | "drafted" | "confirmed" | "skipped";
export interface WizardGateRun {
  passed: boolean;
  outcome: string;
  output: string;
}
export interface WizardStep {
  step: WizardStepName;
  title: string;
  file: string;
  state: WizardStepState;
  draft: string;
  source: string;
  feedback: string;
  gate: WizardGateRun | null;
}
export interface WizardStatus {
  steps: WizardStep[];
  current: WizardStepName | null;
  finished: boolean;
  setup_commit: string | null;
  commit_error: string;
  agent: string | null;
  specs_missing: boolean;
}
export type WizardAction = "generate" | "retry" | "edit" | "confirm" | "skip";
