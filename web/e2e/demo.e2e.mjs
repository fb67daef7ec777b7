// The demo's stories in the browser: the sample project of scripts/demo (demo/make-sample, the
// scripted agents of demo/agent.py) on a real `stork serve`, in Debian's chromium. Checks that
// the agents wait for a person until the board is opened (demo/wait_for_board.py); the item
// timeline of the retried bug (gate failed → retry → merged with its commit) and of the story
// whose merge conflicted (conflict with its path → mergemaster → merged); the output view
// without raw JSON or terminal escapes; the run page naming its item; a done item offering
// neither Start nor Unblock and showing its criteria honestly; front-matter labels clear of
// their values; the favicon. Screenshots go to --out.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { api, check, launchBrowser, parseArgs, startServe, step, webDir } from "./lib.mjs";

const args = parseArgs(process.argv);
const repoRoot = resolve(webDir, "..");
const workdir = mkdtempSync(join(tmpdir(), "stork-demo-e2e-"));
const sample = join(workdir, "calc");
const goFile = join(workdir, "board-opened");
execFileSync(join(repoRoot, "demo", "make-sample"), [args.stork, sample], { stdio: "pipe" });
const server = await startServe(args.stork, sample, { env: { DEMO_PACE: "0", DEMO_GO_FILE: goFile } });
const waiter = spawn("python3", [join(repoRoot, "demo", "wait_for_board.py"), server.url, goFile, "--timeout", "120"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const waiterDone = new Promise((r) => waiter.on("exit", (code) => r(code)));
const browser = await launchBrowser();
const page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
const pageErrors = [];
page.on("pageerror", (error) => pageErrors.push(String(error)));
const shot = (name) => page.screenshot({ path: join(args.out, name + ".png"), fullPage: true });
let failed = false;

/** Resolves when `probe()` returns a truthy value; throws after `ms` naming `what`. */
async function until(what, probe, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const runsOf = async (story) => (await api(server.url, "GET", `/api/runs?story=${story}&limit=50`)).runs;
async function outputOf(run) {
  const page = await api(server.url, "GET", `/api/runs/${run}/events?limit=10000`);
  return page.events.filter((e) => e.type === "output").map((e) => e.payload.text);
}
const itemsByNumber = async () => {
  const pipeline = await api(server.url, "GET", "/api/pipeline");
  return Object.fromEntries(Object.values(pipeline.stages).flat().map((item) => [item.number, item]));
};
/** The kinds of the timeline shown on the item page, in order. */
const shownKinds = () => page.$$eval(".timeline .tl-entry", (rows) => rows.map((row) => row.getAttribute("data-kind")));
function inOrder(kinds, wanted) {
  let at = -1;
  for (const kind of wanted) {
    at = kinds.indexOf(kind, at + 1);
    if (at < 0) return false;
  }
  return true;
}

try {
  await step("the agents wait for a person while the board is closed", async () => {
    // The coders of items 1, 2 and 4 are running and have said they wait: a real signal.
    await until("three coders waiting", async () => {
      let waiting = 0;
      for (const story of ["1", "2", "4"]) {
        for (const run of await runsOf(story))
          if ((await outputOf(run.id)).some((line) => line.includes("waiting for you to open the board"))) waiting++;
      }
      return waiting >= 3;
    });
    check(!existsSync(goFile), "the go file exists before anyone opened the board");
    const items = await itemsByNumber();
    for (const n of [1, 2, 4]) check(items[n].stage === "current", `item ${n} moved on before the board was opened`);
  });

  await step("opening the board lets them go", async () => {
    await page.goto(server.url + "/");
    await page.waitForSelector('.connection[data-state="open"]');
    const code = await Promise.race([waiterDone, new Promise((r) => setTimeout(() => r("timeout"), 15_000))]);
    check(code === 0, `wait_for_board.py ended with ${String(code)}`);
    check(readFileSync(goFile, "utf8").trim() === "opened", "the go file says " + readFileSync(goFile, "utf8"));
  });

  await step("items 1, 2 and 4 reach Done on the board", async () => {
    for (const n of [1, 2, 4])
      await page.waitForSelector(`.column[data-stage="done"] .card[data-id^="${n}_"]`, { timeout: 180_000 });
    await shot("demo-board-done");
  });

  const items = await itemsByNumber();
  const bug = items[4].id;
  await step("the retried bug's timeline: gate failed → retry → merged with its commit", async () => {
    await page.goto(`${server.url}/items/${bug}`);
    await page.waitForSelector(".timeline .tl-entry");
    await until("the merged entry", async () => (await shownKinds()).includes("merged"), 20_000);
    const kinds = await shownKinds();
    check(inOrder(kinds, ["run_started", "gate_failed", "retry", "run_started", "gate_passed", "merged"]), kinds.join(", "));
    const failure = page.locator('.tl-entry[data-kind="gate_failed"]').first();
    check(await failure.evaluate((el) => el.classList.contains("tl-failure")), "the gate failure is not marked");
    const tail = await failure.locator(".tl-detail").textContent();
    check(/ZeroDivisionError|FAILED/.test(tail ?? ""), "no gate tail: " + tail);
    const commit = await page.locator('.tl-entry[data-kind="merged"]').getAttribute("data-commit");
    const head = execFileSync("git", ["-C", sample, "log", "--format=%H", "main"], { encoding: "utf8" });
    check(commit && head.includes(commit), `merged commit ${commit} is not on main`);
    await page.locator(".item-timeline").screenshot({ path: join(args.out, "timeline-retried-bug.png") });
  });

  await step("a done item offers neither Start nor Unblock and shows its criteria honestly", async () => {
    check((await page.locator('button:has-text("Start")').count()) === 0, "Start offered on a done item");
    check((await page.locator('button:has-text("Unblock")').count()) === 0, "Unblock offered on a done item");
    const detail = await api(server.url, "GET", `/api/items/${bug}`);
    const status = await page.locator(".criteria-status").textContent();
    check(status?.includes(`${detail.criteria_checked} of ${detail.criteria_total}`), "criteria status: " + status);
    check(!/^\s*0\/\d/.test(status ?? ""), "criteria shown as 0/N: " + status);
    // A long key with a long value, as a person may write by hand (the watcher picks it up).
    const file = join(sample, detail.path);
    writeFileSync(file, readFileSync(file, "utf8").replace(/^---\n/, "---\nnote_for_the_reviewer_of_this_item: " + "a long note ".repeat(30) + "\n"));
    await page.waitForSelector('.front-matter dt:has-text("note_for_the_reviewer_of_this_item")', { timeout: 20_000 });
    // The label's text (not its box, which may be narrower than the text) against the value's.
    const overlaps = await page.$$eval(".front-matter > div", (rows) =>
      rows.filter((row) => {
        const text = (el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return range.getBoundingClientRect();
        };
        const [dt, dd] = [row.querySelector("dt"), row.querySelector("dd")];
        if (!dt || !dd) return false;
        const [key, value] = [text(dt), text(dd)];
        return key.right > value.left + 0.5 && key.bottom > value.top && value.bottom > key.top;
      }).length,
    );
    check(overlaps === 0, `${overlaps} front-matter labels overlap their values`);
    await shot("item-done-timeline");
  });

  const events = (await api(server.url, "GET", "/api/events?limit=10000")).events;
  const conflicted = events.find((e) => e.type === "merge_failed" && /^[12]_/.test(e.story))?.story;
  check(conflicted, "neither item 1 nor item 2 had a merge conflict");
  let mergemasterRun = 0;
  await step("the conflicted story's timeline: conflict with its path → mergemaster → merged", async () => {
    await page.goto(`${server.url}/items/${conflicted}`);
    await until("its merged entry", async () => (await shownKinds()).includes("merged"), 20_000);
    const kinds = await shownKinds();
    check(inOrder(kinds, ["merge_failed", "mergemaster", "merged"]), kinds.join(", "));
    const paths = await page.locator('.tl-entry[data-kind="merge_failed"] .tl-paths').first().textContent();
    check(paths?.includes("calc.py"), "conflicted paths: " + paths);
    const link = page.locator('.tl-entry[data-kind="mergemaster"] a.tl-run').first();
    mergemasterRun = Number((await link.getAttribute("href")).split("/").pop());
    await page.locator(".item-timeline").screenshot({ path: join(args.out, "timeline-merge-conflict.png") });
  });

  await step("the output view shows no raw JSON and no escape codes; the run page names its item", async () => {
    const coderRun = (await runsOf("4")).at(-1).id; // the first attempt: git's coloured output
    const raw = [...(await outputOf(coderRun)), ...(await outputOf(mergemasterRun))].join("\n");
    check(raw.includes("\u001b["), "the agents printed no escape codes: the check would prove nothing");
    check(raw.includes('{"'), "the mergemaster printed no JSON line: the check would prove nothing");
    for (const run of [coderRun, mergemasterRun]) {
      await page.goto(`${server.url}/runs/${run}`);
      await page.waitForSelector(".run-output .ev");
      await until("the run's last event", async () => (await page.locator(".run-output").textContent()).includes("done:"), 20_000);
      const text = await page.locator(".run-output").innerText();
      check(!text.includes('{"'), `run ${run} shows raw JSON:\n${text}`);
      check(!text.includes("\u001b") && !/\[[0-9;]+m/.test(text), `run ${run} shows escape codes:\n${text}`);
      const href = await page.locator(".run-item-link").getAttribute("href");
      check(href === `/items/${run === coderRun ? bug : conflicted}`, "run page links " + href);
      await shot(`output-run-${run === coderRun ? "coder" : "mergemaster"}`);
    }
  });

  await step("the favicon is served and linked", async () => {
    const response = await fetch(server.url + "/favicon.svg");
    check(response.status === 200, "favicon status " + response.status);
    check((response.headers.get("content-type") ?? "").startsWith("image/svg+xml"), response.headers.get("content-type"));
    check((await response.text()).includes("<svg"), "not an SVG");
    check((await page.locator('link[rel="icon"]').getAttribute("href")) === "/favicon.svg", "no icon link");
  });
  check(pageErrors.length === 0, "page errors: " + pageErrors.join("; "));
} catch (error) {
  failed = true;
  console.error(error);
  await shot("demo-failure").catch(() => undefined);
  console.error("--- stork serve stderr (tail)\n" + server.stderr().slice(-4000));
} finally {
  waiter.kill();
  await browser.close();
  await server.stop();
  if (args.keep) console.log("kept: " + workdir);
  else rmSync(workdir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
