// The new item form: type, name, user story, acceptance criteria (one a line), depends on.
import { useState } from "react";
import type { FormEvent } from "react";
import { api, ApiError } from "../api/client";
import { navigate } from "../router";
import { useBoard } from "../state/BoardProvider";

export function NewItemView() {
  const { refresh } = useBoard();
  const [type, setType] = useState("story");
  const [name, setName] = useState("");
  const [story, setStory] = useState("");
  const [criteria, setCriteria] = useState("");
  const [depends, setDepends] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const lines = criteria.split("\n").map((l) => l.replace(/^\s*[-*]\s*(\[[ xX]\]\s*)?/, "").trim()).filter(Boolean);
      const dependsOn = depends.split(/[\s,]+/).map((d) => d.trim()).filter(Boolean);
      const created = await api.createItem({
        name: name.trim(),
        type,
        ...(story.trim() ? { description: story.trim() } : {}),
        ...(lines.length ? { acceptance_criteria: lines } : {}),
        ...(dependsOn.length ? { depends_on: dependsOn } : {}),
      });
      refresh();
      navigate(`/items/${encodeURIComponent(created.id)}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="new-item" onSubmit={(event) => void submit(event)}>
      <h1>New item</h1>
      <label>
        Type
        <select name="type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="story">story</option>
          <option value="bug">bug</option>
          <option value="spike">spike</option>
          <option value="refactor">refactor</option>
        </select>
      </label>
      <label>
        Name
        <input name="name" required value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </label>
      <label>
        User story
        <textarea
          name="story"
          rows={4}
          value={story}
          onChange={(e) => setStory(e.target.value)}
          placeholder="As a …, I want … so that …"
        />
      </label>
      <label>
        Acceptance criteria <span className="muted">(one a line)</span>
        <textarea name="criteria" rows={4} value={criteria} onChange={(e) => setCriteria(e.target.value)} />
      </label>
      <label>
        Depends on <span className="muted">(ids or numbers, comma-separated)</span>
        <input name="depends_on" value={depends} onChange={(e) => setDepends(e.target.value)} />
      </label>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="action-row">
        <button type="submit" disabled={busy || !name.trim()}>
          Create
        </button>
      </div>
    </form>
  );
}
