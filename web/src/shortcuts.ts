// Global keyboard shortcuts (docs/board.md). Ignored while typing in a field.
import { navigate } from "./router";

export const SHORTCUTS: [string, string][] = [
  ["b", "board"],
  ["n", "new item"],
  ["a", "agents and merge queue"],
  ["c", "costs"],
  ["/", "focus the filter"],
  ["← ↑ → ↓ or h j k l", "move between cards"],
  ["Enter", "open the focused card"],
  ["Esc", "back to the board"],
  ["?", "show these shortcuts"],
];

export function handleShortcut(event: KeyboardEvent, toggleHelp: () => void): void {
  if (event.metaKey || event.ctrlKey || event.altKey) return;
  const target = event.target as HTMLElement | null;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
    if (event.key === "Escape") target.blur();
    return;
  }
  switch (event.key) {
    case "b":
      navigate("/");
      break;
    case "n":
      navigate("/new");
      break;
    case "a":
      navigate("/agents");
      break;
    case "c":
      navigate("/costs");
      break;
    case "/": {
      navigate("/");
      setTimeout(() => document.querySelector<HTMLInputElement>("#filter")?.focus(), 0);
      break;
    }
    case "?":
      toggleHelp();
      break;
    case "Escape":
      navigate("/");
      break;
    default:
      return;
  }
  event.preventDefault();
}
