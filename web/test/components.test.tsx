import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import { Card } from "../src/components/Card";
import { DiffView } from "../src/components/DiffView";
import { renderMarkdown, withoutCriteria } from "../src/components/Markdown";
import { conflictedPaths, LastFailure, MergeProgress } from "../src/views/RosterView";
import { parseRoute } from "../src/router";
import { item } from "./fixtures";

describe("Card", () => {
  it("ShowsIdTypeNameFlagsAgentAndCost", () => {
    render(
      <Card
        item={item(42, "current", {
          type: "bug",
          name: "Login fails",
          cost_usd: 1.234,
          flags: { blocked: true, review_hold: true, retry_count: 2, merge_failure: "conflict" },
          agents: [{ agent: "coder-1", model: "sonnet", status: "throttled", run_id: 3, started_at_ms: 1 }],
        })}
      />,
    );
    const card = screen.getByRole("link");
    expect(card.getAttribute("href")).toBe("/items/42_story_item_42");
    expect(card.textContent).toContain("#42");
    expect(card.textContent).toContain("bug");
    expect(card.textContent).toContain("Login fails");
    expect(card.textContent).toContain("$1.23");
    for (const flag of ["blocked", "review hold", "merge failed", "retries 2"])
      expect(within(card).getByText(flag)).toBeTruthy();
    const lozenge = card.querySelector(".lozenge")!;
    expect(lozenge.getAttribute("data-status")).toBe("throttled");
    expect(lozenge.textContent).toContain("coder-1");
    expect(lozenge.textContent).toContain("sonnet");
  });

  it("ReservesTheAgentRowWithoutAgents", () => {
    const { container } = render(<Card item={item(1)} />);
    expect(container.querySelector(".card-agents")).not.toBeNull();
    expect(container.querySelector(".flag")).toBeNull();
  });
});

describe("DiffView", () => {
  it("RendersEachFileWithHighlightedAddedAndDeletedLines", () => {
    const { container } = render(
      <DiffView
        diff={{
          id: "1", branch: "feature/story-1", base_branch: "main", base_commit: "a", head_commit: "b",
          additions: 1, deletions: 1, truncated: false,
          files: [
            { path: "src/x.ts", status: "modified", additions: 1, deletions: 1, binary: false,
              patch: "diff --git a/src/x.ts b/src/x.ts\nnew file mode 100644\n--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1 +1 @@\n-const a = 1;\n+const a = '<b>';\n context\n" },
            { path: "logo.png", status: "added", additions: 0, deletions: 0, binary: true, patch: "" },
          ],
        }}
      />,
    );
    const files = container.querySelectorAll(".diff-file");
    expect(files).toHaveLength(2);
    expect(files[0].querySelector(".diff-line.add")!.innerHTML).toContain("hljs-keyword");
    expect(files[0].querySelector(".diff-line.add")!.innerHTML).toContain("&lt;b&gt;");
    expect(files[0].querySelector(".diff-line.del")).not.toBeNull();
    const meta = Array.from(files[0].querySelectorAll(".diff-line.meta")).map((l) => l.textContent);
    expect(meta).toEqual(["diff --git a/src/x.ts b/src/x.ts", "new file mode 100644", "--- a/src/x.ts", "+++ b/src/x.ts"]);
    expect(files[0].querySelectorAll(".diff-line.add")).toHaveLength(1);
    expect(files[0].querySelector(".diff-line.ctx")!.textContent).toBe(" context");
    expect(files[1].textContent).toContain("binary file");
  });
});

describe("Merge queue", () => {
  it("MergeProgress_MarksDoneAndCurrentSteps", () => {
    const { container } = render(
      <MergeProgress job={{ id: 1, story: "3_story_x", step: "gating", detail: "script/test", commit: null, updated_at_ms: 1 }} />,
    );
    expect(Array.from(container.querySelectorAll(".step-done")).map((e) => e.textContent)).toEqual(["squashing", "squashed"]);
    expect(container.querySelector(".step-now")!.textContent).toBe("gating");
    expect(container.textContent).toContain("3_story_x");
  });

  it("LastFailure_ListsTheConflictedPaths", () => {
    const { container } = render(
      <LastFailure recent={[]} flagged={"merge conflict with main in 2 file(s):\n- src/a.cpp\n- docs/b.md"} flaggedId="4_story_y" />,
    );
    expect(Array.from(container.querySelectorAll("li code")).map((e) => e.textContent)).toEqual(["src/a.cpp", "docs/b.md"]);
  });
});

describe("Markdown", () => {
  it("RendersAndStripsScripts", () => {
    const html = renderMarkdown("# Title\n\n<img src=x onerror=alert(1)><script>alert(1)</script>\n\n- [ ] a");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).not.toContain("onerror");
    expect(html).not.toContain("<script");
  });
});

describe("helpers", () => {
  it("WithoutCriteria_DropsOnlyTheCriteriaSection", () => {
    const body = "# Story 1\n\n## User Story\n\nAs a user\n\n## Acceptance Criteria\n\n- [ ] one\n- [x] two\n\n## Out of Scope\n\nnothing\n";
    expect(withoutCriteria(body)).toBe("# Story 1\n\n## User Story\n\nAs a user\n\n## Out of Scope\n\nnothing\n");
  });

  it("ConflictedPaths_ReadsTheServersList", () => {
    expect(conflictedPaths("merge conflict with main in 2 file(s):\n- a.txt\n- b/c.txt")).toEqual(["a.txt", "b/c.txt"]);
    expect(conflictedPaths("gate failed:\n- not a path list")).toEqual([]);
  });

  it("ParseRoute_KnowsEveryView", () => {
    expect(parseRoute("/")).toEqual({ view: "board" });
    expect(parseRoute("/items/3_story_x")).toEqual({ view: "item", id: "3_story_x" });
    expect(parseRoute("/runs/12")).toEqual({ view: "run", run: 12 });
    expect(parseRoute("/new").view).toBe("new");
    expect(parseRoute("/agents").view).toBe("agents");
    expect(parseRoute("/costs").view).toBe("costs");
    expect(parseRoute("/chat")).toEqual({ view: "chat", conversation: null });
    expect(parseRoute("/chat/7")).toEqual({ view: "chat", conversation: 7 });
    expect(parseRoute("/chat/x").view).toBe("missing");
    expect(parseRoute("/runs/x").view).toBe("missing");
  });
});

vi.mock("uplot", () => ({ default: vi.fn() }));
