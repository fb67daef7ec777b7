// The project chat (docs/project-chat.md): conversations with the project's `[chat] agent`,
// which reads the code and acts through stork's MCP tools. Each message a person sends starts
// (or reaches) a run of that agent; the run's output streams in below the message as it comes
// (RunOutput: text, tool calls, results), and its permission questions appear inline
// (PermissionPanel). Conversations are kept by the server and can be resumed or started afresh.
import { useCallback, useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { ChatConversation, ChatDetail, RunRecord } from "../api/types";
import { Link } from "../components/Link";
import { PermissionPanel } from "../components/PermissionPanel";
import { RunOutput } from "../components/RunOutput";
import { navigate } from "../router";

export function ChatView({ conversation }: { conversation: number | null }) {
  const [list, setList] = useState<ChatConversation[]>([]);
  const [loaded, setLoaded] = useState<ChatDetail | null>(null);
  // The conversation of the route only (a new conversation shows none).
  const detail = loaded !== null && loaded.id === conversation ? loaded : null;
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let current = true;
    api
      .chats()
      .then((answer) => current && setList(answer.conversations))
      .catch((failure: Error) => current && setError(failure.message));
    return () => {
      current = false;
    };
  }, [reload]);

  useEffect(() => {
    if (conversation === null) return;
    let current = true;
    api
      .chat(conversation)
      .then((answer) => {
        if (current) {
          setLoaded(answer);
          setError(null);
        }
      })
      .catch((failure: Error) => current && setError(failure.message));
    return () => {
      current = false;
    };
  }, [conversation, reload]);

  const sent = useCallback(
    (id: number) => {
      if (id !== conversation) navigate(`/chat/${id}`);
      setReload((n) => n + 1);
    },
    [conversation],
  );

  return (
    <div className="chat-view">
      <aside className="chat-list" aria-label="conversations">
        <Link href="/chat" className="chat-new">
          New conversation
        </Link>
        <ul>
          {list.map((item) => (
            <li key={item.id} className={item.id === conversation ? "active" : undefined}>
              <Link href={`/chat/${item.id}`}>{item.title}</Link>
              <span className="muted"> {item.agent}</span>
            </li>
          ))}
        </ul>
      </aside>
      <section className="chat-main" aria-label="conversation">
        <h1>{detail ? detail.title : "Project chat"}</h1>
        {detail ? (
          <p className="muted chat-facts">
            with {detail.agent} · {detail.runs.length} runs · ${detail.cost_usd.toFixed(4)}
          </p>
        ) : (
          <p className="muted">
            Plan the work with the project's chat agent: it reads the code (never changes it) and can create
            and update items, start agents and read their runs.
          </p>
        )}
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <PermissionPanel />
        {detail ? <Turns detail={detail} /> : null}
        <ChatBox conversation={conversation} onSent={sent} />
      </section>
    </div>
  );
}

/** Each run with the person's messages that started or reached it, then its live output. */
function Turns({ detail }: { detail: ChatDetail }) {
  return (
    <ol className="chat-turns">
      {detail.runs.map((run: RunRecord) => (
        <li key={run.id} className="chat-turn">
          {detail.messages
            .filter((line) => line.role === "person" && line.run_id === run.id)
            .map((line) => (
              <p key={`${line.time_ms}-${line.text}`} className="chat-person">
                {line.text}
              </p>
            ))}
          <RunOutput run={run.id} height="40vh" />
        </li>
      ))}
    </ol>
  );
}

function ChatBox({ conversation, onSent }: { conversation: number | null; onSent: (id: number) => void }) {
  const [text, setText] = useState("");
  const [fresh, setFresh] = useState(false);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    try {
      const receipt = await api.sendChat(text, conversation ?? undefined, fresh);
      setText("");
      setFailure(null);
      onSent(receipt.conversation_id);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setSending(false);
    }
  }

  return (
    <form className="message-box chat-box" onSubmit={(event) => void send(event)} aria-label="Message to the chat agent">
      <label htmlFor="chat-message">{conversation === null ? "Start a conversation" : "Reply"}</label>
      <textarea
        id="chat-message"
        value={text}
        rows={3}
        onChange={(event) => setText(event.target.value)}
        placeholder="e.g. what would it take to export the board as CSV? Make it a story."
      />
      {conversation !== null ? (
        <label className="chat-fresh">
          <input type="checkbox" checked={fresh} onChange={(event) => setFresh(event.target.checked)} /> new
          session (the agent forgets this conversation)
        </label>
      ) : null}
      <button type="submit" disabled={sending || text.trim() === ""}>
        {sending ? "Sending…" : "Send"}
      </button>
      {failure ? (
        <p className="action-error" role="alert">
          {failure}
        </p>
      ) : null}
    </form>
  );
}
