import { useEffect, useState } from "react";
import { Link } from "./components/Link";
import { NotificationBell } from "./components/NotificationBell";
import { useRoute } from "./router";
import type { Route } from "./router";
import { handleShortcut, SHORTCUTS } from "./shortcuts";
import { useBoard } from "./state/BoardProvider";
import { BoardView } from "./views/BoardView";
import { ChatView } from "./views/ChatView";
import { CostsView } from "./views/CostsView";
import { ItemView } from "./views/ItemView";
import { NewItemView } from "./views/NewItemView";
import { RosterView } from "./views/RosterView";
import { RunView } from "./views/RunView";
import { WizardView } from "./views/WizardView";
import { api } from "./api/client";

export function App() {
  const route = useRoute();
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => handleShortcut(event, () => setHelp((h) => !h));
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <div className="app">
      <header className="topbar">
        <Link href="/" className="brand">
          stork
        </Link>
        <nav aria-label="views">
          <NavLink href="/" active={route.view === "board"}>Board</NavLink>
          <NavLink href="/new" active={route.view === "new"}>New</NavLink>
          <NavLink href="/agents" active={route.view === "agents"}>Agents</NavLink>
          <NavLink href="/costs" active={route.view === "costs"}>Costs</NavLink>
          <NavLink href="/chat" active={route.view === "chat"}>Chat</NavLink>
          <NavLink href="/setup" active={route.view === "wizard"}>Setup</NavLink>
        </nav>
        <NotificationBell />
        <Connection />
        <button className="link-button help-button" onClick={() => setHelp(!help)} aria-label="keyboard shortcuts">
          ?
        </button>
      </header>
      {help ? <Help onClose={() => setHelp(false)} /> : null}
      <main className="content">
        <View route={route} />
      </main>
    </div>
  );
}

function View({ route }: { route: Route }) {
  switch (route.view) {
    case "board":
      return <BoardOrWizard />;
    case "wizard":
      return <WizardView />;
    case "item":
      return <ItemView key={route.id} id={route.id} />;
    case "run":
      return <RunView key={route.run} run={route.run} />;
    case "new":
      return <NewItemView />;
    case "agents":
      return <RosterView />;
    case "costs":
      return <CostsView />;
    case "chat":
      return <ChatView conversation={route.conversation} />;
    case "missing":
      return <p className="muted">Nothing at {route.path}.</p>;
  }
}

/** The board, or the setup wizard on a fresh project: no specs yet and nothing in its pipeline
 * (docs/wizard.md). A project that already has items is set up, specs or not: its board. */
function BoardOrWizard() {
  const { state } = useBoard();
  const [specsMissing, setSpecsMissing] = useState<boolean | null>(null);
  useEffect(() => {
    api.wizard().then(
      (status) => setSpecsMissing(status.specs_missing && !status.finished),
      () => setSpecsMissing(false),
    );
  }, []);
  if (specsMissing === null || (specsMissing && !state.loaded)) return <p className="muted">Loading…</p>;
  const fresh = specsMissing && Object.keys(state.items).length === 0;
  return fresh ? <WizardView onFinished={() => setSpecsMissing(false)} /> : <BoardView />;
}

function NavLink({ href, active, children }: { href: string; active: boolean; children: string }) {
  return (
    <Link href={href} className={"nav-link" + (active ? " active" : "")} aria-current={active ? "page" : undefined}>
      {children}
    </Link>
  );
}

function Connection() {
  const { state } = useBoard();
  const label = state.connection === "open" ? "live" : state.connection;
  return (
    <span className="connection" data-state={state.connection} role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" /> {label}
    </span>
  );
}

function Help({ onClose }: { onClose: () => void }) {
  return (
    <div className="help" role="dialog" aria-label="keyboard shortcuts">
      <table>
        <tbody>
          {SHORTCUTS.map(([key, what]) => (
            <tr key={key}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button onClick={onClose}>Close</button>
    </div>
  );
}
