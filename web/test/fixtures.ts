import type { PipelineEventMessage, PipelineItem, PipelineResponse, RunEvent } from "../src/api/types";

export function item(number: number, stage: PipelineItem["stage"] = "backlog", extra: Partial<PipelineItem> = {}): PipelineItem {
  return {
    id: `${number}_story_item_${number}`,
    number,
    type: "story",
    name: `Item ${number}`,
    stage,
    agent: null,
    depends_on: [],
    retry_count: 0,
    flags: { blocked: false, review_hold: false, retry_count: 0 },
    agents: [],
    cost_usd: 0,
    ...extra,
  };
}

export function pipeline(items: PipelineItem[]): PipelineResponse {
  const stages = { backlog: [], current: [], qa: [], merge: [], done: [], archived: [] } as PipelineResponse["stages"];
  for (const i of items) stages[i.stage].push(i);
  return { stages, problems: [] };
}

export function pevent(seq: number, story: string, event_type: string, payload: Record<string, unknown> = {}): PipelineEventMessage {
  return { type: "pipeline_event", seq, time_ms: 1000 + seq, story, event_type, payload };
}

export function revent(seq: number, type = "output", payload: Record<string, unknown> = { text: `line ${seq}` }): RunEvent {
  return { seq, time_ms: 1000 + seq, type, payload };
}
