import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MessageBox } from "../src/components/MessageBox";

describe("MessageBox", () => {
  let posted: { path: string; body: unknown }[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  beforeEach(() => {
    posted = [];
    vi.stubGlobal(
      "fetch",
      vi.fn((path: string, init?: RequestInit) => {
        posted.push({ path, body: JSON.parse(init?.body as string) as unknown });
        return Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status }));
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  async function send(text: string) {
    fireEvent.change(screen.getByLabelText("Tell the agent"), { target: { value: text } });
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Send" }));
      await Promise.resolve();
    });
  }

  it("PostsTheTextToTheRunAndSaysItWasDeliveredLive", async () => {
    answer = { status: 200, body: { run_id: 4, story_id: "2_story_b", agent: "coder-1", delivery: "live" } };
    render(<MessageBox run={4} />);
    expect(screen.getByRole("button", { name: "Send" })).toHaveProperty("disabled", true);
    await send("use tests/unit");
    expect(posted).toEqual([{ path: "/api/runs/4/messages", body: { text: "use tests/unit" } }]);
    expect((await screen.findByRole("status")).textContent).toBe("Delivered: coder-1 reads it in this run.");
  });

  it("SaysWhenTheMessageWaitsForTheNextStart", async () => {
    answer = {
      status: 200,
      body: { run_id: 4, story_id: "2_story_b", agent: "coder-1", delivery: "queued", reason: "the runtime reads no input mid-run" },
    };
    render(<MessageBox run={4} />);
    await send("hello");
    expect((await screen.findByRole("status")).textContent).toBe(
      "Queued for coder-1's next start (the runtime reads no input mid-run).",
    );
  });

  it("ShowsTheServersRefusalAsAnAlertAndKeepsTheText", async () => {
    answer = { status: 409, body: { error: { code: "conflict", message: "run 4 is over" } } };
    render(<MessageBox run={4} />);
    await send("too late");
    expect((await screen.findByRole("alert")).textContent).toContain("run 4 is over");
    expect(screen.getByLabelText<HTMLTextAreaElement>("Tell the agent").value).toBe("too late");
  });
});
