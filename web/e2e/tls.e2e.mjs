// The board over HTTPS and its WebSocket over WSS, served by stork itself (--tls-cert,
// --tls-key) with a self-signed certificate made by the `openssl` command, in Debian's
// chromium (--ignore-certificate-errors for the test's own certificate): stork on 127.0.0.2
// opened as https://buildbox:PORT; login, a Secure cookie, the board live over wss://, and an
// item copied in by hand shown without a reload.
import { copyFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { check, git, initProject, launchBrowser, makeProject, parseArgs, startServe, step } from "./lib.mjs";

const TOKEN = "admin-" + Math.random().toString(36).slice(2);
const args = parseArgs(process.argv);
const project = makeProject();
initProject(args.stork, project);
writeFileSync(
  join(project.repo, ".storkit", "work", "1_backlog", "1_story_first_item.md"),
  "---\nname: First item\n---\n\n## Acceptance Criteria\n\n- [ ] it shows\n",
);
git(project.repo, "add", "-A");
git(project.repo, "commit", "-qm", "first item");
const cert = join(project.root, "cert.pem");
const key = join(project.root, "key.pem");
execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=buildbox", "-keyout", key, "-out", cert], {
  stdio: "pipe",
});
const server = await startServe(args.stork, project.repo, {
  args: ["--host", "127.0.0.2", "--allowed-host", "buildbox", "--token", TOKEN, "--tls-cert", cert, "--tls-key", key],
});
check(server.url.startsWith("https://"), `serve says ${server.url}`);
const base = `https://buildbox:${server.port}`;
const browser = await launchBrowser(["--host-resolver-rules=MAP buildbox 127.0.0.2", "--ignore-certificate-errors"]);
let failed = false;

try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await step("the login page over https", async () => {
    await page.goto(base + "/");
    await page.waitForSelector("form#login");
  });
  await step("login sets a Secure, HttpOnly cookie", async () => {
    await page.fill("#token", TOKEN);
    await page.click('button[type="submit"]');
    await page.waitForSelector('.card[data-id="1_story_first_item"]');
    const session = (await page.context().cookies(base)).find((c) => c.name === "stork_session");
    check(session?.secure === true && session.httpOnly, "a Secure, HttpOnly cookie");
  });
  await step("the board goes live over wss:// and shows a hand-copied item", async () => {
    await page.waitForSelector('.connection[data-state="open"]');
    await page.evaluate(() => (window.__noReload = true));
    const source = join(project.root, "4_story_over_tls.md");
    writeFileSync(source, "---\nname: Over TLS\n---\n\n## Acceptance Criteria\n\n- [ ] shows\n");
    const since = Date.now();
    copyFileSync(source, join(project.repo, ".storkit", "work", "1_backlog", "4_story_over_tls.md"));
    await page.waitForSelector('.card[data-id="4_story_over_tls"]', { timeout: 5000 });
    console.log(`     copied item on the board after ${Date.now() - since} ms`);
    check(await page.evaluate(() => window.__noReload === true), "no reload");
    await page.screenshot({ path: join(args.out, "tls-board.png") });
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
