// A message to the agent of one run (POST /api/runs/{run}/messages): the server delivers it into
// the live session or keeps it for the agent's next start on the item, and says which; both
// answers and refusals are shown where the person typed.
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";

type Outcome = { failed: boolean; text: string } | null;

export function MessageBox({ run }: { run: number }) {
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    try {
      const receipt = await api.say(run, text);
      setOutcome({
        failed: false,
        text:
          receipt.delivery === "live"
            ? `Delivered: ${receipt.agent} reads it in this run.`
            : `Queued for ${receipt.agent}'s next start${receipt.reason ? ` (${receipt.reason})` : ""}.`,
      });
      setText("");
    } catch (error) {
      setOutcome({ failed: true, text: error instanceof Error ? error.message : String(error) });
    } finally {
      setSending(false);
    }
  }

  return (
    <form className="message-box" onSubmit={(event) => void send(event)} aria-label="Message to the agent">
      <label htmlFor={`message-${run}`}>Tell the agent</label>
      <textarea
        id={`message-${run}`}
        value={text}
        rows={2}
        onChange={(event) => setText(event.target.value)}
        placeholder="e.g. the tests live in tests/unit, not test/"
      />
      <button type="submit" disabled={sending || text.trim() === ""}>
        {sending ? "Sending…" : "Send"}
      </button>
      {outcome && (
        <p className={outcome.failed ? "action-error" : "action-message"} role={outcome.failed ? "alert" : "status"}>
          {outcome.text}
        </p>
      )}
    </form>
  );
}
