import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { fieldsText, oneLine, outputLine, shorten, stripAnsi, toolInputSummary, valueText } from "../src/outputText";
import { Timeline } from "../src/components/Timeline";
import { legalActions } from "../src/components/ItemActions";
import { CriteriaStatus } from "../src/views/ItemView";
import type { ItemDetail, TimelineEntry } from "../src/api/types";

describe("stripAnsi", () => {
  it("RemovesCsiOscAndControlCharacters", () => {
    expect(stripAnsi("\u001b[1;31mred\u001b[0m plain")).toBe("red plain");
    expect(stripAnsi("\u001b]0;title\u0007after")).toBe("after");
    expect(stripAnsi("\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\")).toBe("link");
    expect(stripAnsi("\u001b[?25l\u001b[2K\u001b[1Gspinner")).toBe("spinner");
    expect(stripAnsi("a\r\nb\rc\u0001\u0007")).toBe("a\nb\nc");
    expect(stripAnsi("tab\tkept\nnewline")).toBe("tab\tkept\nnewline");
  });
});

describe("outputLine", () => {
  it("ShowsTheTextOfAStreamJsonLineNotItsJson", () => {
    const assistant = JSON.stringify({
      type: "assistant",
      message: { content: [{ type: "text", text: "Writing the test" }, { type: "tool_use", name: "Bash", input: { command: "git commit -m x" } }] },
    });
    expect(outputLine(assistant)).toBe("Writing the test\nBash: git commit -m x");
    const user = JSON.stringify({ type: "user", message: { content: [{ type: "tool_result", content: "ok\n2 files" }] } });
    expect(outputLine(user)).toBe("result: ok 2 files");
    expect(outputLine(JSON.stringify({ type: "result", result: "done", total_cost_usd: 0.01 }))).toBe("result: done");
    expect(outputLine(JSON.stringify({ type: "system", subtype: "init", tools: ["Bash"] }))).toBe("system init");
    expect(outputLine('{"level":"info","count":3,"nested":{"a":1}}')).toBe("level: info, count: 3");
    for (const line of [assistant, user, '{"a":{"b":1}}']) expect(outputLine(line)).not.toContain('{"');
  });

  it("LeavesPlainTextAndBrokenJsonAloneButStripsEscapes", () => {
    expect(outputLine("[coder-1] wrote calc.py")).toBe("[coder-1] wrote calc.py");
    expect(outputLine("\u001b[32m{not json}\u001b[0m")).toBe("{not json}");
    expect(outputLine('[mergemaster] {"story_id":"1_story_x","position":0}')).toBe("[mergemaster] story_id: 1_story_x, position: 0");
  });
});

describe("tool inputs and results", () => {
  it("SummarisesAToolInputInAFewWords", () => {
    expect(toolInputSummary({ command: "ls -la\n  | wc -l" })).toBe("ls -la | wc -l");
    expect(toolInputSummary({ file_path: "/tmp/a.py", content: "x" })).toBe("/tmp/a.py");
    expect(toolInputSummary({ limit: 3, deep: { a: 1 } })).toBe("limit: 3");
    expect(toolInputSummary({ command: "x".repeat(300) }, 10)).toBe("xxxxxxxxxx…");
  });

  it("ShowsValuesAsKeyValueTextAndShortensLongOnes", () => {
    expect(valueText({ command: "make", env: { A: "1" }, list: ["x", "y"] })).toBe("command: make\nenv:\n  A: 1\nlist:\n  - x\n  - y");
    expect(shorten("abcdef", 3)).toBe("abc… (3 more characters)");
    expect(oneLine(" a \n b ", 10)).toBe("a b");
    expect(fieldsText({ a: 1, b: "two", c: null, d: { e: 1 } })).toBe("a: 1, b: two");
  });
});

function entry(kind: string, title: string, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  return { time_ms: 1, kind, title, detail: "", failure: false, seq: 0, run_id: null, agent: "", commit: null, paths: [], tools: [], tool_calls: 0, ...extra };
}

describe("Timeline", () => {
  it("ShowsFailuresRunsPathsCommitAndTails", () => {
    const { container } = render(
      <Timeline
        entries={[
          entry("run_started", "coder-1 started (run 3)", { run_id: 3 }),
          entry("run_ended", "coder-1 completed (run 3)", { run_id: 3, tools: [{ name: "Bash", count: 2 }], tool_calls: 2 }),
          entry("gate_failed", "the gate failed (exit code 1)", { failure: true, detail: "\u001b[31mFAILED\u001b[0m test_div" }),
          entry("merge_failed", "the merge failed: conflict", { failure: true, paths: ["calc.py"] }),
          entry("merged", "merged as 0123456789ab", { commit: "0123456789abcdef" }),
        ]}
      />,
    );
    expect(container.querySelectorAll(".tl-failure")).toHaveLength(2);
    expect(screen.getAllByText("run 3")[0].getAttribute("href")).toBe("/runs/3");
    expect(screen.getByText("2 tool calls: Bash ×2", { exact: false })).toBeTruthy();
    expect(screen.getByText("calc.py")).toBeTruthy();
    expect(container.querySelector('[data-kind="merged"]')?.getAttribute("data-commit")).toBe("0123456789abcdef");
    expect(container.querySelector(".tl-detail")?.textContent).toBe("FAILED test_div");
  });
});

function detail(extra: Partial<ItemDetail>): ItemDetail {
  return {
    id: "4_bug_x", number: 4, type: "bug", slug: "x", name: "x", stage: "done", path: "", agent: null, qa: null,
    manual_qa: false, blocked: false, blocked_reason: null, review_hold: false, merge_failure: null, retry_count: 1,
    depends_on: [], criteria_total: 2, criteria_checked: 0, criteria: [], front_matter: {}, front_matter_keys: [],
    body: "", problems: [], ...extra,
  };
}

describe("item actions and criteria", () => {
  it("UsesTheServersLegalActionsAndGuessesOnlyWithoutThem", () => {
    const served = { start: false, unblock: false, request_qa: false, approve_qa: false, reject_qa: false, moves: ["archived" as const] };
    expect(legalActions(detail({ actions: served }))).toEqual(served);
    expect(legalActions(detail({})).start).toBe(false);
  });

  it("DoesNotShowAMergedItemAsFailingItsCriteria", () => {
    const { container, rerender } = render(<CriteriaStatus item={detail({})} />);
    expect(container.textContent).toBe("merged with 0 of 2 ticked in the item file: no one ticked the others");
    rerender(<CriteriaStatus item={detail({ stage: "current" })} />);
    expect(container.textContent).toBe("0 of 2 ticked");
    rerender(<CriteriaStatus item={detail({ criteria_checked: 2 })} />);
    expect(container.textContent).toBe("merged; all 2 ticked");
  });
});
