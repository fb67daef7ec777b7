// The board from another machine, in Debian's chromium (playwright-core): `stork serve` bound
// to 127.0.0.2 (a stand-in for a build box) and opened as http://buildbox:PORT through
// chromium's --host-resolver-rules, with an admin token and a viewer token (docs/remote.md).
// A wrong token is refused with a message; the right one logs in and the board renders; an
// item made by `stork story new` in another process and one copied in by hand appear within a
// second without a reload; the one-time login link leaves the address bar clean; the viewer
// sees the board and its Start is refused with the server's message.
import { execFileSync } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { check, git, initProject, launchBrowser, makeProject, parseArgs, startServe, step } from "./lib.mjs";

const TOKEN = "admin-" + Math.random().toString(36).slice(2);
const VIEWER = "viewer-" + Math.random().toString(36).slice(2);
const args = parseArgs(process.argv);
const project = makeProject();
initProject(args.stork, project);
writeFileSync(
  join(project.repo, ".storkit", "work", "1_backlog", "1_story_first_item.md"),
  "---\nname: First item\n---\n\n## Acceptance Criteria\n\n- [ ] it shows\n",
);
git(project.repo, "add", "-A");
git(project.repo, "commit", "-qm", "first item");
const server = await startServe(args.stork, project.repo, {
  args: ["--host", "127.0.0.2", "--allowed-host", "buildbox", "--token", TOKEN, "--viewer-token", VIEWER],
});
const base = `http://buildbox:${server.port}`;
const browser = await launchBrowser(["--host-resolver-rules=MAP buildbox 127.0.0.2"]);
let failed = false;

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.log("page error:", String(error)));
  return page;
}

async function logIn(page, token) {
  await page.goto(base + "/");
  await page.waitForSelector("form#login");
  await page.fill("#token", token);
  await page.click('button[type="submit"]');
}

// Waits for the card of `id`; the time from `since` in ms. A full page load would drop the
// marker the caller left in the page, so the marker proves there was none.
async function cardAppears(page, id, since) {
  await page.waitForSelector(`.card[data-id="${id}"]`, { timeout: 5000 });
  const elapsed = Date.now() - since;
  check(await page.evaluate(() => window.__noReload === true), `the page was reloaded for ${id}`);
  return elapsed;
}

try {
  const admin = await newPage();
  await step("a wrong token is refused with a message", async () => {
    await logIn(admin, "not-the-token");
    await admin.waitForFunction(() => /not valid/.test(document.querySelector("#message")?.textContent ?? ""));
    check(new URL(admin.url()).pathname === "/", "stays on the login page");
  });

  await step("the right token logs in and the board renders live", async () => {
    await admin.fill("#token", TOKEN);
    await admin.click('button[type="submit"]');
    await admin.waitForSelector(".columns");
    await admin.waitForSelector('.card[data-id="1_story_first_item"]');
    await admin.waitForSelector('.connection[data-state="open"]');
    const cookies = await admin.context().cookies(base);
    const session = cookies.find((c) => c.name === "stork_session");
    check(session && session.httpOnly && session.sameSite === "Strict", "an HttpOnly, SameSite=Strict cookie");
    await admin.screenshot({ path: join(args.out, "remote-board.png") });
  });

  await step("an item made by `stork story new` in another process appears within a second", async () => {
    await admin.evaluate(() => (window.__noReload = true));
    execFileSync(args.stork, ["story", "new", "--name", "Made in a shell"], { cwd: project.repo, stdio: "pipe" });
    const since = Date.now();
    const elapsed = await cardAppears(admin, "2_story_made_in_a_shell", since);
    console.log(`     CLI item on the board after ${elapsed} ms`);
    check(elapsed < 1000, `took ${elapsed} ms`);
  });

  await step("an item file copied in by hand appears within a second", async () => {
    const source = join(project.root, "7_bug_copied_by_hand.md");
    writeFileSync(source, "---\nname: Copied by hand\n---\n\n## Acceptance Criteria\n\n- [ ] shows\n");
    const since = Date.now();
    copyFileSync(source, join(project.repo, ".storkit", "work", "1_backlog", "7_bug_copied_by_hand.md"));
    const elapsed = await cardAppears(admin, "7_bug_copied_by_hand", since);
    console.log(`     copied item on the board after ${elapsed} ms`);
    check(elapsed < 1000, `took ${elapsed} ms`);
  });

  await step("the one-time login link logs in and leaves the address bar", async () => {
    const page = await newPage();
    await page.goto(`${base}/login?token=${TOKEN}`);
    await page.waitForSelector(".columns");
    check(!page.url().includes("token"), `the address bar still has the token: ${page.url()}`);
    await page.context().close();
  });

  await step("the viewer sees the board and its Start is refused", async () => {
    const viewer = await newPage();
    await logIn(viewer, VIEWER);
    await viewer.waitForSelector('.card[data-id="1_story_first_item"]');
    await viewer.goto(`${base}/items/1_story_first_item`);
    await viewer.waitForSelector('.item-view[data-id="1_story_first_item"]');
    await viewer.click('button:has-text("Start")');
    await viewer.waitForFunction(() =>
      /watch the board but not act/.test(document.querySelector(".action-error[role=alert]")?.textContent ?? ""),
    );
    await viewer.screenshot({ path: join(args.out, "remote-viewer.png") });
    const stage = await viewer.evaluate(async () => {
      const response = await fetch("/api/pipeline");
      const pipeline = await response.json();
      return pipeline.stages.backlog.some((item) => item.id === "1_story_first_item");
    });
    check(stage, "the item did not move");
    await viewer.context().close();
  });
} catch (error) {
  failed = true;
  console.log(String(error?.stack ?? error));
  console.log("server stderr (tail):\n" + server.stderr().slice(-3000));
} finally {
  await browser.close();
  await server.stop();
  project.cleanup();
}
process.exit(failed ? 1 : 0);
