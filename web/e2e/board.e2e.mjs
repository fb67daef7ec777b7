// The board end to end: Debian's chromium (playwright-core) on a real `stork serve` with a
// temp project and scripted `command` coders. Scenarios (stork issue 6): create an item in the
// form, start it, watch its card move through the columns to Done, open its view and see the
// diff and the run's output; reject a QA item and see it return to Current; kill and restart
// the server and see the board recover without a reload. Screenshots of each view go to --out.
import { join } from "node:path";
import { api, check, initProject, launchBrowser, makeProject, parseArgs, startServe, step } from "./lib.mjs";

const args = parseArgs(process.argv);
const project = makeProject();
initProject(args.stork, project);
let server = await startServe(args.stork, project.repo);
const browser = await launchBrowser();
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
const consoleErrors = [];
page.on("pageerror", (error) => consoleErrors.push(String(error)));
const shot = (name) => page.screenshot({ path: join(args.out, name + ".png"), fullPage: false });
const started = Date.now();
let failed = false;

// Records every stage the card of `id` is shown in, from now on (cards are re-mounted in
// their new column when they move).
async function watchCard(id) {
  await page.evaluate((id) => {
    const seen = [];
    window.__seen = seen;
    const record = () => {
      const card = document.querySelector(`.card[data-id="${id}"]`);
      const stage = card?.getAttribute("data-stage");
      if (stage && seen[seen.length - 1] !== stage) seen.push(stage);
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-stage"] });
  }, id);
}
const cardIn = (id, stage, timeout = 20_000) =>
  page.waitForSelector(`.column[data-stage="${stage}"] .card[data-id="${id}"]`, { timeout });

try {
  await step("board loads and goes live", async () => {
    await page.goto(server.url + "/");
    await page.waitForSelector(".columns");
    await page.waitForSelector('.connection[data-state="open"]');
  });

  let itemA;
  await step("create an item in the form", async () => {
    await page.keyboard.press("n");
    await page.waitForSelector("form.new-item");
    await page.selectOption('select[name="type"]', "story");
    await page.fill('input[name="name"]', "Add a greeting");
    await page.fill('textarea[name="story"]', "As a visitor I want to be greeted so that I feel welcome.");
    await page.fill('textarea[name="criteria"]', "greet prints Hello\n- the gate passes");
    await shot("form");
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/items\//);
    itemA = decodeURIComponent(page.url().split("/items/")[1]);
    await page.waitForSelector(`.item-view[data-id="${itemA}"]`);
    const criteria = await page.locator(".criteria li").allTextContents();
    check(criteria.length === 2 && criteria[1].includes("the gate passes"), "criteria: " + criteria);
  });

  await step("start it with the agent picker and watch the card go to Done", async () => {
    await page.selectOption('select[aria-label="agent to start"]', "coder-1");
    await page.click("text=Start");
    await page.click('nav >> text=Board');
    await page.waitForSelector(`.card[data-id="${itemA}"]`);
    await watchCard(itemA);
    // The running agent's lozenge on the card, if the board sees it before the run ends.
    await page
      .waitForSelector(`.card[data-id="${itemA}"] .lozenge`, { timeout: 3000 })
      .then(() => shot("board-running"))
      .catch(() => undefined);
    await cardIn(itemA, "done");
    const seen = await page.evaluate(() => window.__seen);
    console.log("     stages seen:", seen.join(" → "));
    check(seen.includes("merge") && seen[seen.length - 1] === "done", "card moved through merge to done: " + seen);
  });

  await step("open its view: the diff and the run's output", async () => {
    await page.click(`.card[data-id="${itemA}"]`);
    await page.waitForSelector(`.item-view[data-id="${itemA}"]`);
    await page.waitForSelector(`.diff-file[data-path="greet-${itemA}.sh"]`);
    await page.waitForSelector('.run-output .ev-text:has-text("I will add a greeting")');
    await page.waitForSelector('.run-output .tool-name:has-text("Write")');
    await shot("item-done");
    const runHref = await page.getAttribute('a:has-text("(full page)")', "href");
    await page.click('a:has-text("(full page)")');
    await page.waitForURL(/\/runs\/\d+/);
    check(page.url().endsWith(runHref), "run page " + page.url());
    await page.waitForSelector('.run-output .ev-meta:has-text("done: completed")');
    await page.click('.run-output summary:has-text("Write")');
    await page.waitForSelector('.tool-detail:has-text("File created")');
    // A tool call that failed is red (its result has is_error).
    await page.waitForSelector('.ev-tool-error summary:has-text("ls nowhere")');
    await shot("output");
  });

  let itemB;
  await step("a QA item: rejected with notes, back to Current", async () => {
    const created = await api(server.url, "POST", "/api/items", {
      name: "Greet in French",
      qa: "human",
      acceptance_criteria: ["prints Bonjour"],
    });
    itemB = created.id;
    await api(server.url, "POST", "/api/agents/start", { story_id: itemB, agent: "coder-2" });
    await page.click('nav >> text=Board');
    await cardIn(itemB, "qa");
    await page.waitForSelector(`.card[data-id="${itemB}"] .flag-hold`);
    await shot("board");
    await page.click(`.card[data-id="${itemB}"]`);
    await page.waitForSelector(`.item-view[data-id="${itemB}"] .diff-file[data-path="greet-${itemB}.sh"]`);
    await page.waitForSelector('.gate[data-outcome="passed"] .gate-output:has-text("gate: all greetings fine")');
    await shot("item-qa-diff");
    await page.fill('input[aria-label="QA notes"]', "Say Bonjour, not Hello.");
    await page.click("text=Reject QA");
    await page.waitForSelector('.action-message:has-text("reject: done")');
    await page.click('nav >> text=Board');
    await cardIn(itemB, "current");
  });

  await step("roster and merge queue", async () => {
    await page.keyboard.press("a");
    await page.waitForSelector('tr[data-agent="coder-1"]');
    await page.waitForSelector(`.recent-merges >> text=${itemA}`).catch(() => undefined);
    await shot("roster");
  });

  await step("costs", async () => {
    await page.keyboard.press("c");
    await page.waitForSelector('.usage-chart[data-by="model"] canvas');
    const total = await page.textContent(".totals .total-value");
    check(total === "$0.08", "total cost " + total);
    await shot("costs");
  });

  await step("kill -9 and restart the server: the board recovers without a reload", async () => {
    await page.click('nav >> text=Board');
    await page.waitForSelector(`.card[data-id="${itemA}"]`);
    await page.evaluate(() => (window.__notReloaded = true));
    const port = server.port;
    await server.kill();
    await page.waitForSelector('.connection:not([data-state="open"])');
    await shot("board-reconnecting");
    server = await startServe(args.stork, project.repo, { port });
    // Made right after the restart: the board learns of it by replay or by its refetch.
    const created = await api(server.url, "POST", "/api/items", { name: "After the restart" });
    await page.waitForSelector('.connection[data-state="open"]', { timeout: 15_000 });
    await cardIn(created.id, "backlog", 10_000);
    await api(server.url, "POST", `/api/items/${created.id}/block`, { reason: "live after restart" });
    await page.waitForSelector(`.card[data-id="${created.id}"] .flag-blocked`, { timeout: 5_000 });
    check(await page.evaluate(() => window.__notReloaded === true), "the page was not reloaded");
    await shot("board-recovered");
  });

  await step("keyboard: move between cards, open one, back to the board", async () => {
    await page.focus(`.column[data-stage="backlog"] .card`);
    await page.keyboard.press("l"); // to the next column that has a card
    const focused = await page.evaluate(() => document.activeElement?.closest(".column")?.getAttribute("data-stage"));
    check(focused === "current", "focus moved right to current: " + focused);
    await page.keyboard.press("Enter");
    await page.waitForSelector(".item-view");
    await page.keyboard.press("Escape");
    await page.waitForSelector(".columns");
    await page.keyboard.press("?");
    await page.waitForSelector('.help[role="dialog"]');
    await page.keyboard.press("?");
  });

  await step("phone-sized screen and the dark theme", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(100);
    await shot("board-phone");
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: "dark" });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    check(background === "rgb(15, 18, 23)", "dark background " + background);
    await shot("board-dark");
    await page.click(`.card[data-id="${itemB}"]`);
    await page.waitForSelector(`.item-view[data-id="${itemB}"] .diff-file`);
    await shot("item-dark");
    await page.emulateMedia({ colorScheme: "light" });
  });

  check(consoleErrors.length === 0, "page errors: " + consoleErrors.join("\n"));
} catch (error) {
  failed = true;
  console.error(error);
  await shot("failure").catch(() => undefined);
  console.error("--- stork serve stderr (tail) ---\n" + server.stderr().slice(-4000));
} finally {
  await browser.close();
  await server.stop();
  if (!args.keep) project.cleanup();
}
console.log(`screenshots: ${args.out}`);
console.log(`board e2e: ${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
