// The project chat in Debian's chromium (docs/project-chat.md): a real `stork serve` whose
// `[chat] agent` is the real Claude Code CLI, talking to tests/e2e/scripted_anthropic.py. A
// message sent from the Chat page streams back (the agent's text and its create_story call),
// the item it creates appears live on a board open in another tab, the conversation is still
// there after a reload, the agent's Bash call is asked inline in the chat and runs only once a
// person allows it there, and after a server restart a reply resumes the agent's session.
// Screenshots go to --out.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check, initProject, launchBrowser, makeProject, parseArgs, startServe, step, webDir } from "./lib.mjs";

const args = parseArgs(process.argv);
const claude =
  process.env.STORK_CLAUDE_CLI ??
  join(webDir, "..", "tests", "e2e", "node_modules", "@anthropic-ai", "claude-code-linux-x64", "claude");
const scripted = join(webDir, "..", "tests", "e2e", "scripted_anthropic.py");
const scenario = join(webDir, "..", "tests", "fixtures", "claude", "scenarios", "project_chat_browser.json");
check(existsSync(claude), `${claude} is missing: run scripts/setup`);

/** The scripted Messages API on loopback; resolves with its base URL once its port is written. */
async function startModel(dir) {
  const portFile = join(dir, "port");
  const child = spawn("python3", [scripted, "--scenario", scenario, "--port-file", portFile, "--log", join(dir, "requests.jsonl")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const deadline = Date.now() + 20_000;
  while (!existsSync(portFile)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("the scripted model did not start");
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${readFileSync(portFile, "utf8").trim()}`, stop: () => child.kill("SIGTERM") };
}

const project = makeProject();
initProject(args.stork, project, {
  toml:
    `[[agent]]\nname = "planner"\nstage = "other"\nruntime = "claude-code"\ncommand = '${claude}'\n` +
    `model = "claude-sonnet-4-5"\ninactivity_timeout_secs = 60\n\n[chat]\nagent = "planner"\n`,
});
const scratch = mkdtempSync(join(tmpdir(), "stork-chat-"));
const model = await startModel(scratch);
const serveEnv = {
  HOME: scratch,
  ANTHROPIC_BASE_URL: model.url,
  ANTHROPIC_API_KEY: "sk-ant-scripted-test",
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  CLAUDE_CODE_MAX_RETRIES: "0",
};
let server = await startServe(args.stork, project.repo, { env: serveEnv });

/** The tool results the Claude Code CLI sent back to the model, from the scripted model's log. */
function toolResultsSent() {
  const texts = [];
  for (const line of readFileSync(join(scratch, "requests.jsonl"), "utf8").split("\n")) {
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    for (const message of request.body?.messages ?? []) {
      if (!Array.isArray(message.content)) continue;
      for (const block of message.content) {
        if (block.type !== "tool_result") continue;
        const content = Array.isArray(block.content) ? block.content.map((c) => c.text ?? "").join("") : String(block.content);
        texts.push({ content, isError: block.is_error === true });
      }
    }
  }
  return texts;
}
const browser = await launchBrowser();
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const board = await context.newPage();
const page = await context.newPage();
const consoleErrors = [];
for (const p of [board, page]) p.on("pageerror", (error) => consoleErrors.push(String(error)));
const shot = (name) => page.screenshot({ path: join(args.out, name + ".png"), fullPage: false });
const started = Date.now();
let failed = false;

try {
  await step("the board is open and live in another tab", async () => {
    await board.goto(server.url + "/");
    await board.waitForSelector(".columns");
    await board.waitForSelector('.connection[data-state="open"]');
  });

  await step("the Chat link opens the chat", async () => {
    await page.goto(server.url + "/");
    await page.click('nav a[href="/chat"]');
    await page.waitForSelector("form.chat-box");
  });

  await step("a message sent from the board streams back", async () => {
    await page.fill("#chat-message", "Plan a CSV export of the board");
    await page.click('form.chat-box button[type="submit"]');
    await page.waitForURL(/\/chat\/\d+$/);
    await page.waitForSelector('.chat-person:has-text("Plan a CSV export of the board")');
    await page.waitForSelector('.run-output:has-text("PELICAN-7")', { timeout: 90_000 });
    await page.waitForSelector('.run-output:has-text("create_story")');
    await shot("chat-answer");
  });

  await step("the created item appears on the board live", async () => {
    await board.waitForSelector('.card:has-text("Export the board as CSV")', { timeout: 20_000 });
  });

  await step("the conversation survives a reload", async () => {
    await page.reload();
    await page.waitForSelector('.chat-list a:has-text("Plan a CSV export of the board")');
    await page.waitForSelector('.run-output:has-text("PELICAN-7")', { timeout: 20_000 });
  });

  await step("the agent's Bash call is asked inline and runs once allowed there", async () => {
    await page.fill("#chat-message", "What does the marker command print?");
    await page.click('form.chat-box button[type="submit"]');
    const question = page.locator('section.permissions .permission:has-text("Bash")');
    await question.waitFor({ timeout: 90_000 });
    check((await question.textContent()).includes("python3"), "the question shows the command");
    // Nothing ran while the question waited: the model has had no result for it.
    check(!toolResultsSent().some((r) => r.content.includes("OTTER-5")), "the command ran before it was allowed");
    await shot("chat-permission");
    await question.getByRole("button", { name: "Allow", exact: true }).click();
    await page.waitForSelector('.run-output:has-text("HERON-4")', { timeout: 90_000 });
    await page.locator("section.permissions .permission").waitFor({ state: "detached", timeout: 20_000 });
    const ran = toolResultsSent().find((r) => r.content.includes("OTTER-5"));
    check(ran !== undefined && !ran.isError, "the allowed command's output reached the model: " + JSON.stringify(toolResultsSent()));
  });

  await step("after a server restart the conversation is there and a reply resumes it", async () => {
    await server.stop();
    server = await startServe(args.stork, project.repo, { port: server.port, env: serveEnv });
    await page.reload();
    await page.waitForSelector('.chat-list a:has-text("Plan a CSV export of the board")');
    await page.waitForSelector('.run-output:has-text("HERON-4")', { timeout: 20_000 });
    await page.fill("#chat-message", "Are you still there?");
    await page.click('form.chat-box button[type="submit"]');
    await page.waitForSelector('.run-output:has-text("GIRAFFE-9")', { timeout: 90_000 });
    await shot("chat-resumed");
  });

  await step("bad input is refused where it was typed", async () => {
    await page.goto(server.url + "/chat/4242");
    await page.waitForSelector('.error:has-text("no conversation 4242")');
  });

  check(consoleErrors.length === 0, "page errors: " + consoleErrors.join("\n"));
} catch (error) {
  failed = true;
  console.error(error);
  await shot("chat-failure").catch(() => undefined);
  console.error("--- stork serve stderr (tail) ---\n" + server.stderr().slice(-4000));
} finally {
  await browser.close();
  await server.stop();
  model.stop();
  if (!args.keep) project.cleanup();
}
console.log(`screenshots: ${args.out}`);
console.log(`chat e2e: ${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
