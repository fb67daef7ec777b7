// A small history router: the server answers any path without an extension with index.html
// (src/http/static_files.hpp), so deep links like /items/3 load the board.
import { useEffect, useState } from "react";
import type { MouseEvent } from "react";

export type Route =
  | { view: "board" }
  | { view: "item"; id: string }
  | { view: "run"; run: number }
  | { view: "new" }
  | { view: "agents" }
  | { view: "costs" }
  | { view: "chat"; conversation: number | null }
  | { view: "wizard" }
  | { view: "missing"; path: string };

export function parseRoute(path: string): Route {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { view: "board" };
  if (parts[0] === "items" && parts.length === 2) return { view: "item", id: parts[1] };
  if (parts[0] === "runs" && parts.length === 2 && /^\d+$/.test(parts[1]))
    return { view: "run", run: Number(parts[1]) };
  if (parts.length === 1 && parts[0] === "new") return { view: "new" };
  if (parts.length === 1 && parts[0] === "agents") return { view: "agents" };
  if (parts.length === 1 && parts[0] === "costs") return { view: "costs" };
  if (parts.length === 1 && parts[0] === "chat") return { view: "chat", conversation: null };
  if (parts[0] === "chat" && parts.length === 2 && /^\d+$/.test(parts[1]))
    return { view: "chat", conversation: Number(parts[1]) };
  if (parts.length === 1 && parts[0] === "setup") return { view: "wizard" };
  return { view: "missing", path };
}

const listeners = new Set<() => void>();

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, "", path);
  for (const listener of listeners) listener();
}

export function useRoute(): Route {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return parseRoute(path);
}

/** onClick for <a href>: plain clicks navigate in the page, modified ones keep the browser's. */
export function linkClick(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute("href") ?? "/");
}
