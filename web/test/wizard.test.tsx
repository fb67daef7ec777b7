import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { WizardView } from "../src/views/WizardView";
import type { WizardStatus, WizardStep } from "../src/api/types";

function step(name: WizardStep["step"], state: WizardStep["state"], extra: Partial<WizardStep> = {}): WizardStep {
  return { step: name, title: name, file: "f", state, draft: "", source: "", feedback: "", gate: null, ...extra };
}

function wizard(steps: WizardStep[], current: WizardStep["step"] | null): WizardStatus {
  return {
    steps,
    current,
    finished: current === null,
    setup_commit: null,
    commit_error: "",
    agent: null,
    specs_missing: true,
  };
}

describe("WizardView", () => {
  let calls: { method: string; path: string; body: unknown }[] = [];
  let answers: { status: number; body: unknown }[] = [];
  beforeEach(() => {
    calls = [];
    vi.stubGlobal(
      "fetch",
      vi.fn((path: string, init?: RequestInit) => {
        calls.push({ method: init?.method ?? "GET", path, body: init?.body ? JSON.parse(init.body as string) : null });
        const answer = answers.shift() ?? { status: 500, body: {} };
        return Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status }));
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it("DraftsTheCurrentStepThenConfirmsIt", async () => {
    answers = [
      { status: 200, body: wizard([step("context", "pending"), step("stack", "pending")], "context") },
      { status: 200, body: wizard([step("context", "drafted", { draft: "# Tern\n", source: "template" }), step("stack", "pending")], "context") },
      { status: 200, body: wizard([step("context", "confirmed"), step("stack", "pending")], "stack") },
    ];
    render(<WizardView />);
    fireEvent.click(await screen.findByRole("button", { name: "Draft it" }));
    expect((await screen.findByLabelText<HTMLTextAreaElement>("draft")).value).toBe("# Tern\n");
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Confirm" }));
      await Promise.resolve();
    });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /api/wizard",
      "POST /api/wizard/context/generate",
      "POST /api/wizard/context/confirm",
    ]);
    expect(await screen.findByRole("button", { name: "Draft it" })).toBeTruthy();
  });

  it("ShowsTheGateResultAndSendsAnEditedScriptToRunFirst", async () => {
    const gate = step("gate", "drafted", {
      draft: "exit 1\n",
      gate: { passed: false, outcome: "exit code 1", output: "no tests" },
    });
    answers = [{ status: 200, body: wizard([gate], "gate") }, { status: 200, body: wizard([gate], "gate") }];
    render(<WizardView />);
    expect((await screen.findByRole("status")).textContent).toContain("The gate ran: failed");
    fireEvent.change(screen.getByLabelText("draft"), { target: { value: "exit 0\n" } });
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Save and run" }));
      await Promise.resolve();
    });
    expect(calls[1]).toEqual({ method: "POST", path: "/api/wizard/gate/edit", body: { content: "exit 0\n" } });
  });

  it("ShowsTheServersRefusal", async () => {
    answers = [
      { status: 200, body: wizard([step("context", "drafted", { draft: "x" })], "context") },
      { status: 409, body: { error: { code: "conflict", message: "00_CONTEXT.md changed since this step was drafted" } } },
    ];
    render(<WizardView />);
    const confirm = await screen.findByRole("button", { name: "Confirm" });
    await act(async () => {
      fireEvent.click(confirm);
      await Promise.resolve();
    });
    expect((await screen.findByRole("alert")).textContent).toContain("changed since this step was drafted");
  });
});
