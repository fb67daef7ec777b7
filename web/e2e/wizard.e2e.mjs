// The setup wizard in Debian's chromium (docs/wizard.md), on a fresh project: only `stork init`
// (whose project.toml asks for the bwrap sandbox), no specs, no item, no `[wizard] agent`, so
// drafts come from templates. `/` opens on the wizard; the context draft is confirmed, the stack
// skipped, the gate draft is run in the project root under the sandbox and its result shown,
// the rest skipped; the setup commit lands, and `/` is then the board, also after a reload.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { check, git, initProject, launchBrowser, makeProject, parseArgs, startServe, step } from "./lib.mjs";

const args = parseArgs(process.argv);
const project = makeProject();
initProject(args.stork, project, { fresh: true });
check(readFileSync(join(project.repo, ".storkit", "project.toml"), "utf8").includes('sandbox = "bwrap"'),
  "stork init no longer asks for the sandbox: this test would not cover it");
// `stork init`'s roster is Claude Code, which this machine has only under tests/e2e: doctor would
// refuse to serve. The wizard is what sets the roster up, so its preflight is skipped here.
const server = await startServe(args.stork, project.repo, { env: { STORK_SKIP_DOCTOR: "1" } });
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const consoleErrors = [];
page.on("pageerror", (error) => consoleErrors.push(String(error)));
const shot = (name) => page.screenshot({ path: join(args.out, name + ".png"), fullPage: false });
const started = Date.now();
let failed = false;

/** Clicks `button` in the current step's panel and waits for the step list to show `state`. */
async function act(button, stepTitle, state) {
  await page.click(`main section button:has-text("${button}")`);
  await page.waitForSelector(`ol.wizard-steps li:has-text("${stepTitle}")[data-state="${state}"]`, {
    timeout: 60_000,
  });
}

try {
  await step("/ on a fresh project opens the wizard", async () => {
    await page.goto(server.url + "/");
    await page.waitForSelector('h1:has-text("Set up this project")');
    await page.waitForSelector("text=Drafts come from templates");
    await shot("wizard-fresh");
  });

  const steps = await page.$$eval("ol.wizard-steps li", (items) =>
    items.map((li) => ({ title: li.textContent.replace(/\s*\(.*\)\s*$/, ""), state: li.dataset.state })),
  );
  check(steps.length === 5, "five steps, got " + JSON.stringify(steps));
  const [context, stack, gate, components, roster] = steps.map((s) => s.title);

  await step("the context is drafted from the template and confirmed", async () => {
    await act("Draft it", context, "drafted");
    const draft = await page.inputValue('textarea[aria-label="draft"]');
    check(draft.trim().length > 0, "an empty context draft");
    await act("Confirm", context, "confirmed");
  });

  await step("the stack step is skipped", async () => act("Skip", stack, "skipped"));

  await step("the gate draft runs in the project root under the sandbox, its result shown", async () => {
    await act("Draft it", gate, "drafted");
    const result = await page.textContent(".wizard-gate");
    check(/The gate ran: (passed|failed)/.test(result), "no gate result: " + result);
    check(!/sandbox|linked worktree|not a repository/i.test(result), "the sandbox refused the gate: " + result);
    await shot("wizard-gate");
    await act("Confirm", gate, "confirmed");
  });

  await step("components and roster skipped: the setup is committed", async () => {
    await act("Skip", components, "skipped");
    await act("Skip", roster, "skipped");
    await page.waitForSelector('section[aria-label="finished"] >> text=storkit: setup');
    const subject = git(project.repo, "log", "-1", "--format=%s").trim();
    check(subject === "storkit: setup", "the last commit is " + subject);
    check(existsSync(join(project.repo, "script", "test")), "script/test was not written");
    check(!existsSync(join(project.repo, "script", ".wizard-draft-test")), "the gate draft was left behind");
    // .mcp.json names the port serve listens on (a random one here): serve's change, not the wizard's.
    const status = git(project.repo, "status", "--porcelain", "--", ".", ":!.mcp.json").trim();
    check(status === "", "the wizard left changes behind:\n" + status);
  });

  await step("/ is the board once the wizard is finished, also after a reload", async () => {
    await page.click('section[aria-label="finished"] :text("Go to the board")');
    await page.waitForSelector(".columns");
    await page.reload();
    await page.waitForSelector(".columns");
    check((await page.$('h1:has-text("Set up this project")')) === null, "the wizard is still shown");
  });

  check(consoleErrors.length === 0, "page errors: " + consoleErrors.join("\n"));
} catch (error) {
  failed = true;
  console.error(error);
  await shot("wizard-failure").catch(() => undefined);
  console.error("--- stork serve stderr (tail) ---\n" + server.stderr().slice(-4000));
} finally {
  await browser.close();
  await server.stop();
  if (!args.keep) project.cleanup();
}
console.log(`wizard e2e: ${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
