import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { BoardProvider } from "../src/state/BoardProvider";
import { describeInput, PermissionPanel } from "../src/components/PermissionPanel";
import { pipeline } from "./fixtures";
import { FakeSocket } from "./fakeSocket";

const request = {
  id: "abc123",
  agent: "coder-1",
  story_id: "7_story_x",
  tool_name: "Bash",
  input: { command: "npm test", description: "Run the tests" },
  tool_use_id: "toolu_1",
  requested_at_ms: 1,
  expires_at_ms: 2,
  run_id: 9,
};

describe("PermissionPanel", () => {
  let pending: unknown[] = [];
  let posted: { path: string; body: unknown }[] = [];
  beforeEach(() => {
    FakeSocket.all = [];
    pending = [];
    posted = [];
    vi.stubGlobal("WebSocket", FakeSocket);
    vi.stubGlobal(
      "fetch",
      vi.fn((path: string, init?: RequestInit) => {
        if (init?.method === "POST") {
          posted.push({ path, body: JSON.parse(init.body as string) as unknown });
          pending = [];
          return Promise.resolve(new Response("{}", { status: 200 }));
        }
        const body =
          path === "/api/pipeline"
            ? pipeline([])
            : path === "/api/permissions"
              ? { permissions: pending }
              : { agents: [] };
        return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it("ShowsARequestWhenTheAgentsStreamSaysOneWasAskedAndSendsAlwaysAllow", async () => {
    render(
      <BoardProvider url="ws://test/ws">
        <PermissionPanel />
      </BoardProvider>,
    );
    const socket = FakeSocket.all[FakeSocket.all.length - 1];
    act(() => socket.open());
    expect(screen.queryByText("Permission requests")).toBeNull();
    pending = [request];
    await act(async () => {
      socket.receive({ type: "permission", run_id: 9, story: "7_story_x", agent: "coder-1", event_type: "permission_request", time_ms: 1, payload: { id: "abc123" } });
      await new Promise((r) => setTimeout(r, 80));
    });
    await vi.waitFor(() => expect(screen.getByText("npm test")).toBeTruthy());
    expect(screen.getByText("coder-1")).toBeTruthy();
    expect(screen.getByText("Bash")).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByText("Always allow"));
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(posted).toEqual([{ path: "/api/permissions/abc123", body: { decision: "allow", always: true } }]);
    await vi.waitFor(() => expect(screen.queryByText("npm test")).toBeNull());
  });

  it("DenySendsTheReasonThePersonTyped", async () => {
    pending = [request];
    vi.stubGlobal("prompt", () => "use the fixture");
    render(
      <BoardProvider url="ws://test/ws">
        <PermissionPanel />
      </BoardProvider>,
    );
    await vi.waitFor(() => expect(screen.getByText("Deny")).toBeTruthy());
    await act(async () => {
      fireEvent.click(screen.getByText("Deny"));
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(posted).toEqual([
      { path: "/api/permissions/abc123", body: { decision: "deny", always: false, message: "use the fixture" } },
    ]);
  });

  it("DescribesBashByItsCommandAndOtherInputAsJson", () => {
    expect(describeInput({ command: "ls" })).toBe("ls");
    expect(describeInput({ file_path: "a" })).toBe('{\n  "file_path": "a"\n}');
  });
});
