// REST calls to the server (docs/api.md). Errors come back as ApiError with the server's
// code and message, so views can show what the server said.
import type {
  AgentInfo,
  ChatConversation,
  ChatDetail,
  ChatReceipt,
  DiffResponse,
  GateResponse,
  ItemDetail,
  MergeResponse,
  MessageReceipt,
  NewItem,
  NotificationsResponse,
  PermissionRequest,
  PipelineResponse,
  RunEventsResponse,
  RunRecord,
  Stage,
  TimelineResponse,
  UsageBy,
  UsageResponse,
  WizardAction,
  WizardStatus,
  WizardStepName,
} from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, "network", `no answer from the server: ${String(error)}`);
  }
  const text = await response.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError(response.status, "bad_reply", `${method} ${path}: not JSON`);
    }
  }
  if (response.status === 401 && typeof window !== "undefined") {
    // The board's login ended (expired, revoked, the server restarted): log in again.
    window.location.assign("/login");
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "http_" + response.status,
      error?.message ?? `${method} ${path}: HTTP ${response.status}`,
    );
  }
  return json as T;
}

const id = (story: string) => encodeURIComponent(story);

export const api = {
  pipeline: () => request<PipelineResponse>("GET", "/api/pipeline"),
  item: (story: string) => request<ItemDetail>("GET", `/api/items/${id(story)}`),
  createItem: (item: NewItem) => request<ItemDetail>("POST", "/api/items", item),
  move: (story: string, stage: Stage) =>
    request<{ id: string; stage: Stage }>("POST", `/api/items/${id(story)}/move`, { stage }),
  block: (story: string, reason?: string) =>
    request<ItemDetail>("POST", `/api/items/${id(story)}/block`, reason ? { reason } : {}),
  unblock: (story: string) => request<ItemDetail>("POST", `/api/items/${id(story)}/unblock`, {}),
  check: (story: string, index: number, checked: boolean) =>
    request<ItemDetail>("POST", `/api/items/${id(story)}/criteria/${index}`, { checked }),
  approve: (story: string) => request<ItemDetail>("POST", `/api/items/${id(story)}/qa/approve`, {}),
  reject: (story: string, notes: string) =>
    request<ItemDetail>("POST", `/api/items/${id(story)}/qa/reject`, { notes }),
  diff: (story: string) => request<DiffResponse>("GET", `/api/items/${id(story)}/diff`),
  timeline: (story: string) => request<TimelineResponse>("GET", `/api/items/${id(story)}/timeline`),
  gate: (story: string) => request<GateResponse>("GET", `/api/items/${id(story)}/gate`),
  agents: () => request<{ agents: AgentInfo[] }>("GET", "/api/agents"),
  start: (story: string, agent?: string) =>
    request<unknown>("POST", "/api/agents/start", agent ? { story_id: story, agent } : { story_id: story }),
  stop: (story: string, agent: string) =>
    request<unknown>("POST", "/api/agents/stop", { story_id: story, agent }),
  runs: (story?: string, limit = 100) =>
    request<{ runs: RunRecord[] }>(
      "GET",
      `/api/runs?limit=${limit}` + (story ? `&story=${id(story)}` : ""),
    ),
  say: (run: number, text: string) =>
    request<MessageReceipt>("POST", `/api/runs/${run}/messages`, { text }),
  runEvents: (run: number, after = 0, limit = 1000) =>
    request<RunEventsResponse>("GET", `/api/runs/${run}/events?after=${after}&limit=${limit}`),
  merge: () => request<MergeResponse>("GET", "/api/merge"),
  usage: (by: UsageBy) => request<UsageResponse>("GET", `/api/usage?by=${by}`),
  notifications: (limit = 30) =>
    request<NotificationsResponse>("GET", `/api/notifications?limit=${limit}`),
  markNotificationsRead: (ids?: number[]) =>
    request<{ marked: number; unread: number }>(
      "POST",
      "/api/notifications/read",
      ids ? { ids } : { all: true },
    ),
  chats: () => request<{ conversations: ChatConversation[] }>("GET", "/api/chat"),
  chat: (conversation: number) => request<ChatDetail>("GET", `/api/chat/${conversation}`),
  sendChat: (message: string, conversation?: number, fresh = false) =>
    request<ChatReceipt>(
      "POST",
      "/api/chat",
      conversation === undefined ? { message } : { message, conversation_id: conversation, fresh },
    ),
  permissions: () => request<{ permissions: PermissionRequest[] }>("GET", "/api/permissions"),
  wizard: () => request<WizardStatus>("GET", "/api/wizard"),
  wizardAction: (step: WizardStepName, action: WizardAction, body: Record<string, unknown> = {}) =>
    request<WizardStatus>("POST", `/api/wizard/${step}/${action}`, body),
  decidePermission: (permission: string, decision: "allow" | "deny", always: boolean, message?: string) =>
    request<unknown>(
      "POST",
      `/api/permissions/${id(permission)}`,
      message ? { decision, always, message } : { decision, always },
    ),
};
