// Agent output as people read it: terminal escapes removed, JSON lines turned into the text or
// tool call they carry, tool inputs as a few words, long results cut. Pure functions; the output
// view (components/RunOutput.tsx) and the item timeline use them, and never show raw JSON.

// CSI (ESC [ … final byte), OSC/DCS/PM/APC (ESC ] … BEL or ESC \), other two-byte escapes,
// then the C1 CSI form (0x9b) and control characters other than newline and tab.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[\]P^_][\s\S]*?(?:\u0007|\u001b\\|$)|\u001b[\s\S]?|\u009b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** The text without terminal escapes or control characters; "\r\n" and a lone "\r" end a line. */
export function stripAnsi(text: string): string {
  return text.replace(ESCAPES, "").replace(/\r\n?/g, "\n").replace(CONTROLS, "");
}

/** At most `max` characters, cut with "…" and how much was left out. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** One line: whitespace runs become one space; cut to `max` with "…". */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? flat.slice(0, max) + "…" : flat;
}

const INPUT_KEYS = ["command", "file_path", "path", "pattern", "url", "query", "story_id", "description"];

/** A tool call's input in a few words: a command, a path, a pattern, else its first text. */
export function toolInputSummary(input: unknown, max = 100): string {
  if (typeof input === "string") return oneLine(stripAnsi(input), max);
  if (!input || typeof input !== "object" || Array.isArray(input)) return "";
  const record = input as Record<string, unknown>;
  for (const key of INPUT_KEYS)
    if (typeof record[key] === "string" && record[key]) return oneLine(stripAnsi(record[key]), max);
  for (const value of Object.values(record)) if (typeof value === "string" && value) return oneLine(stripAnsi(value), max);
  return oneLine(fieldsText(record), max);
}

/** Any value as readable text, never JSON: strings as they are, objects as "key: value" lines
 * (nested values indented), lists one item a line. */
export function valueText(value: unknown, indent = ""): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return stripAnsi(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map((item) => indent + "- " + valueText(item, indent + "  ").trimStart()).join("\n");
  if (typeof value !== "object") return "";
  return Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => {
      const text = valueText(item, indent + "  ");
      const nested = item !== null && typeof item === "object";
      return nested || text.includes("\n") ? `${indent}${key}:\n${text}` : `${indent}${key}: ${text}`;
    })
    .join("\n");
}

/** An object's scalar fields on one line: "key: value, key: value". */
export function fieldsText(record: Record<string, unknown>): string {
  return Object.entries(record)
    .filter(([, value]) => value !== null && value !== undefined && typeof value !== "object")
    .map(([key, value]) => `${key}: ${typeof value === "string" ? oneLine(stripAnsi(value), 80) : String(value)}`)
    .join(", ");
}

function parseObject(text: string): Record<string, unknown> | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) return null;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The parts of a stream-json message's content (Claude Code's assistant and user lines). */
function contentText(content: unknown): string {
  if (typeof content === "string") return stripAnsi(content);
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => {
      if (!part || typeof part !== "object") return "";
      const p = part as Record<string, unknown>;
      if (p.type === "text" && typeof p.text === "string") return stripAnsi(p.text);
      if (p.type === "thinking" && typeof p.thinking === "string") return stripAnsi(p.thinking);
      if (p.type === "tool_use") return `${typeof p.name === "string" ? p.name : "tool"}: ${toolInputSummary(p.input)}`;
      if (p.type === "tool_result") return "result: " + oneLine(contentText(p.content), 200);
      return "";
    })
    .filter((text) => text)
    .join("\n");
}

/** A line of output as people read it: escapes stripped; a JSON line (stream-json a runtime did
 * not parse, a tool's JSON) shown as the text, tool call or fields it carries. */
export function outputLine(text: string): string {
  const clean = stripAnsi(text);
  const json = parseObject(clean);
  if (!json) {
    // A prefix and then JSON ("[agent] {...}", "reply: {...}"): the prefix, then the fields.
    const brace = clean.indexOf("{");
    const tail = brace > 0 ? parseObject(clean.slice(brace)) : null;
    return tail ? clean.slice(0, brace) + readableObject(tail) : clean;
  }
  return readableObject(json);
}

function readableObject(json: Record<string, unknown>): string {
  const kind = typeof json.type === "string" ? json.type : "";
  const message = json.message as Record<string, unknown> | undefined;
  if (message && typeof message === "object" && "content" in message) {
    const said = contentText(message.content);
    if (said) return said;
  }
  if (kind === "result" && typeof json.result === "string") return "result: " + stripAnsi(json.result);
  if (kind === "system") return `system ${typeof json.subtype === "string" ? json.subtype : ""}`.trim();
  for (const key of ["text", "message", "line", "result"])
    if (typeof json[key] === "string") return (kind ? kind + ": " : "") + stripAnsi(json[key]);
  const fields = fieldsText(json);
  return fields || kind || "(structured output)";
}
