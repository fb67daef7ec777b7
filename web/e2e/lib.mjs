// Shared pieces of the board's browser tests: a temp stork project, a real `stork serve`, and
// Debian's chromium driven by playwright-core (flags from ../shared/DESIGN.md: without the
// networking ones chromium keeps trying to reach hosts this machine cannot reach).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export function parseArgs(argv) {
  const args = { stork: process.env.STORK_BINARY, out: join(webDir, "..", "build", "dev", "tests", "board-screenshots") };
  for (let i = 2; i < argv.length; i++) {
    if (argv[i] === "--stork") args.stork = argv[++i];
    else if (argv[i] === "--out") args.out = argv[++i];
    else if (argv[i] === "--keep") args.keep = true;
  }
  if (!args.stork) throw new Error("usage: --stork PATH_TO_STORK [--out DIR]");
  args.stork = resolve(args.stork);
  mkdirSync(args.out, { recursive: true });
  return args;
}

const gitEnv = {
  GIT_AUTHOR_NAME: "board-test",
  GIT_AUTHOR_EMAIL: "board@localhost",
  GIT_COMMITTER_NAME: "board-test",
  GIT_COMMITTER_EMAIL: "board@localhost",
};
export const git = (dir, ...args) =>
  execFileSync("git", ["-C", dir, ...args], { env: { ...process.env, ...gitEnv }, encoding: "utf8" });

// The scripted coder: prints Claude Code stream-json (a session with a model, text, a tool
// call and its result, a result with usage and cost, so the cost dashboard has numbers), and
// writes and commits a greet script named after its item. A coder started again after a QA
// rejection (its prompt carries the QA notes) or resumed after a server restart waits
// instead, so the item stays in Current. Short pauses let the board show it running.
const CODER = String.raw`#!/bin/sh
id="$STORK_STORY_ID"
case "$STORK_PROMPT" in *"QA Notes"*) echo "waiting for a person to look at the notes"; exec sleep 120;; esac
[ -n "$STORK_RESUME_SESSION" ] && { echo "resumed: waiting"; exec sleep 120; }
json() { printf '%s\n' "$1"; }
json '{"type":"system","subtype":"init","session_id":"s-'"$id"'","model":"scripted-sonnet","tools":["Write","Bash"]}'
json '{"type":"assistant","message":{"id":"m1","type":"message","role":"assistant","model":"scripted-sonnet","content":[{"type":"text","text":"I will add a greeting for '"$id"'."}]},"session_id":"s-'"$id"'"}'
json '{"type":"assistant","message":{"id":"m2","type":"message","role":"assistant","model":"scripted-sonnet","content":[{"type":"tool_use","id":"t1","name":"Write","input":{"file_path":"greet-'"$id"'.sh","content":"echo Hello"}}]},"session_id":"s-'"$id"'"}'
sleep 0.6
printf 'echo Hello from %s\n' "$id" > "greet-$id.sh"
json '{"type":"user","message":{"role":"user","content":[{"tool_use_id":"t1","type":"tool_result","content":"File created"}]},"session_id":"s-'"$id"'"}'
json '{"type":"assistant","message":{"id":"m2b","type":"message","role":"assistant","model":"scripted-sonnet","content":[{"type":"tool_use","id":"t1b","name":"Bash","input":{"command":"ls nowhere"}}]},"session_id":"s-'"$id"'"}'
json '{"type":"user","message":{"role":"user","content":[{"tool_use_id":"t1b","type":"tool_result","content":"ls: cannot access nowhere: No such file or directory","is_error":true}]},"session_id":"s-'"$id"'"}'
json '{"type":"assistant","message":{"id":"m3","type":"message","role":"assistant","model":"scripted-sonnet","content":[{"type":"tool_use","id":"t2","name":"Bash","input":{"command":"git commit -qm greet"}}]},"session_id":"s-'"$id"'"}'
sleep 0.6
git add -A . && git commit -qm "greet for $id" || exit 1
json '{"type":"user","message":{"role":"user","content":[{"tool_use_id":"t2","type":"tool_result","content":"committed","is_error":false}]},"session_id":"s-'"$id"'"}'
json '{"type":"result","subtype":"success","is_error":false,"result":"Added the greeting.","session_id":"s-'"$id"'","total_cost_usd":0.0421,"num_turns":3,"usage":{"input_tokens":1800,"output_tokens":420,"cache_creation_input_tokens":300,"cache_read_input_tokens":5200}}'
`;

const GATE = `#!/bin/sh
sleep 0.4
for f in greet*.sh; do
  [ -e "$f" ] || continue
  sh "$f" | grep -q Hello || { echo "$f does not greet"; exit 1; }
  echo "ok: $f"
done
echo "gate: all greetings fine"
`;

/** A git repository with a stork project, a gate and two scripted coders. */
export function makeProject({ items = 0 } = {}) {
  const root = mkdtempSync(join(tmpdir(), "stork-board-"));
  const repo = join(root, "repo");
  mkdirSync(repo);
  execFileSync("git", ["init", "-q", "-b", "main", repo]);
  git(repo, "commit", "-q", "--allow-empty", "-m", "empty");
  const coder = join(root, "coder.sh");
  writeFileSync(coder, CODER);
  chmodSync(coder, 0o755);
  return { root, repo, coder, cleanup: () => rmSync(root, { recursive: true, force: true }), items };
}

/** `stork init`, the greeting gate and the scripted coders, committed. Unless `fresh`, the project
 * also gets a real 00_CONTEXT.md: a project with specs opens on its board, a fresh one (only
 * `stork init`'s placeholder, no item) on the setup wizard (docs/wizard.md). */
export function initProject(stork, project, { items = 0, toml, fresh = false } = {}) {
  const { repo, coder } = project;
  execFileSync(stork, ["init"], { cwd: repo, env: { ...process.env, ...gitEnv }, stdio: "pipe" });
  if (fresh) {
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "stork init");
    return;
  }
  writeFileSync(join(repo, ".storkit", "specs", "00_CONTEXT.md"), "# Greetings\n\nScripts that greet.\n");
  mkdirSync(join(repo, "script"), { recursive: true });
  writeFileSync(join(repo, "script", "test"), GATE);
  chmodSync(join(repo, "script", "test"), 0o755);
  const agent = (name) =>
    `[[agent]]\nname = "${name}"\nstage = "coder"\nruntime = "command"\nmodel = "scripted-sonnet"\ncommand = "/bin/sh"\nargs = ["${coder}"]\n`;
  writeFileSync(
    join(repo, ".storkit", "project.toml"),
    toml ?? `max_coders = 2\narchive_after_hours = 4\n\n${agent("coder-1")}\n${agent("coder-2")}`,
  );
  if (items > 0) writeItems(repo, items);
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "stork project, gate and scripted coders");
}

// Many items, spread over the stages (a tenth archived: that column starts collapsed).
function writeItems(repo, count) {
  const stages = [
    ["1_backlog", 0.35],
    ["2_current", 0.05],
    ["3_qa", 0.05],
    ["4_merge", 0.02],
    ["5_done", 0.43],
    ["6_archived", 0.1],
  ];
  let number = 1;
  for (const [stage, share] of stages) {
    const dir = join(repo, ".storkit", "work", stage);
    mkdirSync(dir, { recursive: true });
    const n = stage === "6_archived" ? count - number + 1 : Math.round(count * share);
    for (let i = 0; i < n; i++, number++) {
      // Flags that keep auto-assign and the merge queue away from them.
      const extra = {
        "2_current": "blocked: true\nblocked_reason: generated\n",
        "3_qa": "review_hold: true\n",
        "4_merge": "merge_failure: generated\n",
      }[stage] ?? "";
      writeFileSync(
        join(dir, `${number}_story_generated_item_${number}.md`),
        `---\nname: Generated item ${number} with a name of typical length\n${extra}---\n\n## User Story\n\nAs a tester I want many items.\n\n## Acceptance Criteria\n\n- [ ] it renders\n`,
      );
    }
  }
}

/** `stork serve` on the project; resolves once it prints its `listening on` line. */
export async function startServe(stork, repo, { port = 0, logFile, args = [], env = {} } = {}) {
  const child = spawn(
    stork,
    ["serve", "--port", String(port), "--project", repo, "--web-dir", join(webDir, "dist"), ...args],
    { cwd: repo, env: { ...process.env, ...gitEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  let stdoutAll = "";
  child.stdout.on("data", (chunk) => (stdoutAll += chunk));
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  const url = await new Promise((resolvePromise, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error("stork serve did not start in 30 s:\n" + stderr)), 30_000);
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const match = stdout.match(/listening on (https?:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`stork serve exited with ${code}:\n${stderr}`));
    });
  });
  const exited = new Promise((r) => child.on("exit", (code, signal) => r({ code, signal })));
  return {
    url,
    port: Number(new URL(url).port),
    child,
    stdout: () => stdoutAll,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
      return exited;
    },
    logFile,
  };
}

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Debian's chromium; playwright-core gives it a fresh --user-data-dir of its own. */
export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.STORK_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
  });
}

export async function api(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export function check(condition, message) {
  if (!condition) throw new Error("check failed: " + message);
}

export async function step(name, fn) {
  const start = Date.now();
  try {
    const value = await fn();
    console.log(`ok   ${name} (${Date.now() - start} ms)`);
    return value;
  } catch (error) {
    console.log(`FAIL ${name} (${Date.now() - start} ms)`);
    throw error;
  }
}
