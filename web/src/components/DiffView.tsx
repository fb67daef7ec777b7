// The branch's diff against its base, one collapsible block per file, syntax-highlighted.
import { useMemo, useState } from "react";
import type { DiffFile, DiffResponse } from "../api/types";
import { highlightLine, languageOf } from "./highlight";

export function DiffView({ diff }: { diff: DiffResponse }) {
  return (
    <div className="diff">
      <p className="diff-summary">
        {diff.merged_commit ? (
          <>
            merged into <code>{diff.base_branch}</code> as <code>{diff.merged_commit.slice(0, 12)}</code>
          </>
        ) : (
          <>
            <code>{diff.branch}</code> against <code>{diff.base_branch}</code>
          </>
        )}{" "}
        ({diff.files.length}{" "}
        {diff.files.length === 1 ? "file" : "files"},{" "}
        <span className="add">+{diff.additions}</span> <span className="del">−{diff.deletions}</span>)
        {diff.truncated ? <strong> — truncated</strong> : null}
      </p>
      {diff.files.map((file) => (
        <FileDiff key={file.path} file={file} />
      ))}
    </div>
  );
}

function FileDiff({ file }: { file: DiffFile }) {
  const [open, setOpen] = useState(true);
  const lines = useMemo(() => (open ? renderPatch(file) : []), [file, open]);
  return (
    <section className="diff-file" data-path={file.path}>
      <button className="diff-file-head" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className="diff-status" data-status={file.status}>
          {file.status}
        </span>
        <span className="diff-path">
          {file.old_path ? `${file.old_path} → ` : ""}
          {file.path}
        </span>
        <span className="add">+{file.additions}</span> <span className="del">−{file.deletions}</span>
      </button>
      {open ? (
        file.binary ? (
          <p className="muted">binary file</p>
        ) : (
          <pre className="diff-body">
            {lines.map((line, index) => (
              <div
                key={index}
                className={"diff-line " + line.kind}
                dangerouslySetInnerHTML={{ __html: line.html }}
              />
            ))}
          </pre>
        )
      ) : null}
    </section>
  );
}

interface PatchLine {
  kind: "ctx" | "add" | "del" | "hunk" | "meta";
  html: string;
}

export function renderPatch(file: DiffFile): PatchLine[] {
  const language = languageOf(file.path);
  const out: PatchLine[] = [];
  let inHunk = false; // before the first "@@", every line is a header ("new file mode", ...)
  for (const line of file.patch.split("\n")) {
    if (line.startsWith("@@")) {
      inHunk = true;
      out.push({ kind: "hunk", html: highlightLine(line, null) });
    } else if (!inHunk || line.startsWith("diff --git ")) {
      inHunk = false;
      out.push({ kind: "meta", html: highlightLine(line, null) });
    } else if (line.startsWith("+")) out.push({ kind: "add", html: "+" + highlightLine(line.slice(1), language) });
    else if (line.startsWith("-")) out.push({ kind: "del", html: "−" + highlightLine(line.slice(1), language) });
    else if (line.startsWith("\\")) out.push({ kind: "meta", html: highlightLine(line, null) });
    else out.push({ kind: "ctx", html: " " + highlightLine(line.slice(1), language) });
  }
  while (out.length && out[out.length - 1].html.trim() === "") out.pop();
  return out;
}
