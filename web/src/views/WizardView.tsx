// The setup wizard (docs/wizard.md): the five steps in order, the current one's draft in an
// editor, the gate's result when the gate was drafted, and confirm / retry with feedback / skip.
// Every answer of the server is the whole wizard, so the page shows exactly what it says.
import { useEffect, useState } from "react";
import { api, ApiError } from "../api/client";
import type { WizardAction, WizardStatus, WizardStep } from "../api/types";
import { Link } from "../components/Link";

/** `onFinished`: given when the wizard stands in for the board at `/` (App's BoardOrWizard), which
 * then shows the board; a link to `/` would not, being the page already open. */
export function WizardView({ onFinished }: { onFinished?: () => void } = {}) {
  const [status, setStatus] = useState<WizardStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.wizard().then(setStatus, (e: Error) => setError(e.message));
  }, []);

  const act = async (step: WizardStep, action: WizardAction, body: Record<string, unknown> = {}) => {
    setBusy(true);
    setError(null);
    try {
      setStatus(await api.wizardAction(step.step, action, body));
    } catch (e) {
      setError(e instanceof ApiError || e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (!status) return error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>;
  const current = status.steps.find((s) => s.step === status.current) ?? null;
  return (
    <div className="wizard">
      <h1>Set up this project</h1>
      <p className="muted">
        Drafts come from {status.agent ? `the agent ${status.agent} (read-only)` : "templates"}. Nothing is
        written until you confirm a step; the files are committed as <code>storkit: setup</code> at the end.
      </p>
      <ol className="wizard-steps" aria-label="steps">
        {status.steps.map((s) => (
          <li key={s.step} data-state={s.state} aria-current={s.step === status.current ? "step" : undefined}>
            {s.title} <span className="muted">({s.state})</span>
          </li>
        ))}
      </ol>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {current ? (
        <StepPanel key={current.step + current.draft} step={current} busy={busy} act={act} />
      ) : (
        <Finished status={status} onFinished={onFinished} />
      )}
    </div>
  );
}

function StepPanel({
  step,
  busy,
  act,
}: {
  step: WizardStep;
  busy: boolean;
  act: (step: WizardStep, action: WizardAction, body?: Record<string, unknown>) => Promise<void>;
}) {
  const [draft, setDraft] = useState(step.draft);
  const [feedback, setFeedback] = useState("");
  const [overwrite, setOverwrite] = useState(false);
  const edited = draft !== step.draft;
  if (step.state === "pending") {
    return (
      <section aria-label={step.title}>
        <h2>{step.title}</h2>
        <p>
          Writes <code>{step.file}</code>.
        </p>
        <button disabled={busy} onClick={() => void act(step, "generate")}>
          {busy ? "Drafting…" : "Draft it"}
        </button>{" "}
        <button disabled={busy} onClick={() => void act(step, "skip")}>
          Skip
        </button>
      </section>
    );
  }
  return (
    <section aria-label={step.title}>
      <h2>{step.title}</h2>
      <p className="muted">
        Draft for <code>{step.file}</code> from {step.source}.
      </p>
      <textarea
        aria-label="draft"
        className="wizard-draft"
        rows={18}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
      />
      {step.gate ? <GateResult gate={step.gate} /> : null}
      <div className="wizard-actions">
        {edited ? (
          <button disabled={busy} onClick={() => void act(step, "edit", { content: draft })}>
            {step.step === "gate" ? "Save and run" : "Save edit"}
          </button>
        ) : (
          <button disabled={busy} onClick={() => void act(step, "confirm", overwrite ? { overwrite } : {})}>
            Confirm
          </button>
        )}
        <label>
          <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> overwrite a
          file changed since the draft
        </label>
        <button disabled={busy} onClick={() => void act(step, "skip")}>
          Skip
        </button>
      </div>
      <div className="wizard-retry">
        <input
          aria-label="feedback"
          placeholder="What should change?"
          value={feedback}
          onChange={(e) => setFeedback(e.target.value)}
        />
        <button disabled={busy || !feedback.trim()} onClick={() => void act(step, "retry", { feedback })}>
          Retry with feedback
        </button>
      </div>
    </section>
  );
}

function GateResult({ gate }: { gate: NonNullable<WizardStep["gate"]> }) {
  return (
    <div className="wizard-gate" role="status">
      <strong>The gate ran: {gate.passed ? "passed" : "failed"}</strong> ({gate.outcome})
      <pre>{gate.output}</pre>
    </div>
  );
}

function Finished({ status, onFinished }: { status: WizardStatus; onFinished?: () => void }) {
  return (
    <section aria-label="finished">
      <h2>Done</h2>
      <p>
        {status.setup_commit
          ? `Committed ${status.setup_commit.slice(0, 10)} (storkit: setup).`
          : "Nothing was written."}
      </p>
      {status.commit_error ? <p className="error">The setup commit failed: {status.commit_error}</p> : null}
      {onFinished ? (
        <button className="link-button" onClick={onFinished}>
          Go to the board
        </button>
      ) : (
        <Link href="/">Go to the board</Link>
      )}
    </section>
  );
}
