import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { BoardProvider } from "../src/state/BoardProvider";
import { ChatView } from "../src/views/ChatView";
import { pipeline } from "./fixtures";
import { FakeSocket } from "./fakeSocket";

describe("ChatView", () => {
  let posted: { path: string; body: unknown }[] = [];
  let sendAnswer: { status: number; body: unknown } = { status: 200, body: {} };
  beforeEach(() => {
    FakeSocket.all = [];
    posted = [];
    vi.stubGlobal("WebSocket", FakeSocket);
    vi.stubGlobal(
      "fetch",
      vi.fn((path: string, init?: RequestInit) => {
        if (init?.method === "POST") {
          posted.push({ path, body: JSON.parse(init.body as string) as unknown });
          return Promise.resolve(new Response(JSON.stringify(sendAnswer.body), { status: sendAnswer.status }));
        }
        const body =
          path === "/api/pipeline"
            ? pipeline([])
            : path === "/api/chat"
              ? { conversations: [{ id: 3, agent: "planner", title: "Plan CSV", story_id: "chat-3", created_at_ms: 1, updated_at_ms: 2 }] }
              : path === "/api/permissions"
                ? { permissions: [] }
                : { agents: [] };
        return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  async function send(text: string) {
    fireEvent.change(screen.getByLabelText("Start a conversation"), { target: { value: text } });
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Send" }));
      await new Promise((r) => setTimeout(r, 20));
    });
  }

  it("ListsConversationsAndPostsANewOnesFirstMessage", async () => {
    sendAnswer = { status: 200, body: { conversation_id: 4, message_id: 1, agent: "planner", run_id: 9, delivery: "started" } };
    render(
      <BoardProvider url="ws://test/ws">
        <ChatView conversation={null} />
      </BoardProvider>,
    );
    await vi.waitFor(() => expect(screen.getByText("Plan CSV")).toBeTruthy());
    await send("Plan a CSV export");
    expect(posted).toEqual([{ path: "/api/chat", body: { message: "Plan a CSV export" } }]);
    expect(location.pathname).toBe("/chat/4");
  });

  it("ShowsTheServersRefusalWhereItWasTyped", async () => {
    sendAnswer = { status: 409, body: { error: { code: "conflict", message: "the project has no chat agent" } } };
    render(
      <BoardProvider url="ws://test/ws">
        <ChatView conversation={null} />
      </BoardProvider>,
    );
    await send("hello");
    expect((await screen.findByRole("alert")).textContent).toBe("the project has no chat agent");
  });
});
