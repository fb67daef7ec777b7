// An item's body as HTML: marked renders, DOMPurify removes anything executable.
import { useMemo } from "react";
import { marked } from "marked";
import DOMPurify from "dompurify";

export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true });
  return DOMPurify.sanitize(html);
}

/** The body without its "## Acceptance Criteria" section (the item view shows the criteria
 * as checkboxes of their own). */
export function withoutCriteria(body: string): string {
  const lines = body.split("\n");
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (/^##\s+Acceptance Criteria\s*$/i.test(line)) skipping = true;
    else if (skipping && /^#{1,2}\s/.test(line)) skipping = false;
    if (!skipping) out.push(line);
  }
  return out.join("\n");
}

export function Markdown({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
