// The board behind Debian's nginx with TLS, using docs/nginx-stork.conf as shipped (only its
// addresses and file paths replaced): a self-signed certificate made with `openssl`, nginx on
// 127.0.0.2 opened by chromium as https://buildbox:PORT, stork on 127.0.0.1 trusting the proxy.
// Login works, the cookie is Secure (X-Forwarded-Proto from a trusted proxy), the board goes
// live over wss:// through nginx, and an item copied in by hand appears without a reload.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { check, git, initProject, launchBrowser, makeProject, parseArgs, startServe, step, webDir } from "./lib.mjs";

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

const freePort = (host) =>
  new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });

const server = await startServe(args.stork, project.repo, {
  args: ["--host", "127.0.0.1", "--token", TOKEN, "--trusted-proxy", "127.0.0.1", "--allowed-host", "buildbox"],
});
const nginxDir = join(project.root, "nginx");
mkdirSync(join(nginxDir, "tmp"), { recursive: true });
execFileSync("openssl", [
  "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=buildbox",
  "-keyout", join(nginxDir, "key.pem"), "-out", join(nginxDir, "cert.pem"),
], { stdio: "pipe" });
const proxyPort = await freePort("127.0.0.2");
const shipped = readFileSync(join(webDir, "..", "docs", "nginx-stork.conf"), "utf8");
const site = shipped
  .replace("listen 443 ssl;", `listen 127.0.0.2:${proxyPort} ssl;`)
  .replace("server_name buildbox.example;", "server_name buildbox;")
  .replace("/etc/ssl/certs/buildbox.example.pem", join(nginxDir, "cert.pem"))
  .replace("/etc/ssl/private/buildbox.example.key", join(nginxDir, "key.pem"))
  .replace("http://127.0.0.1:3000", `http://127.0.0.1:${server.port}`);
check(site !== shipped && site.includes(String(server.port)), "the shipped config has the expected lines");
writeFileSync(join(nginxDir, "stork.conf"), site);
const tmp = join(nginxDir, "tmp");
writeFileSync(
  join(nginxDir, "nginx.conf"),
  `daemon off;\nuser root;\nworker_processes 1;\npid ${nginxDir}/nginx.pid;\nerror_log ${nginxDir}/error.log;\n` +
    `events { worker_connections 64; }\nhttp {\n  access_log off;\n  client_body_temp_path ${tmp};\n` +
    `  proxy_temp_path ${tmp};\n  fastcgi_temp_path ${tmp};\n  uwsgi_temp_path ${tmp};\n  scgi_temp_path ${tmp};\n` +
    `  include ${nginxDir}/stork.conf;\n}\n`,
);
const nginx = spawn("nginx", ["-p", nginxDir, "-c", join(nginxDir, "nginx.conf")], { stdio: ["ignore", "pipe", "pipe"] });
let nginxErr = "";
nginx.stderr.on("data", (chunk) => (nginxErr += chunk));
const base = `https://buildbox:${proxyPort}`;
const browser = await launchBrowser(["--host-resolver-rules=MAP buildbox 127.0.0.2", "--ignore-certificate-errors"]);
let failed = false;

try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await step("nginx answers over TLS with the login page", async () => {
    for (let i = 0; ; i++) {
      try {
        await page.goto(base + "/");
        break;
      } catch (error) {
        if (i > 50) throw new Error(`nginx did not answer: ${error}\n${nginxErr}`, { cause: error });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await page.waitForSelector("form#login");
  });

  await step("login through the proxy sets a Secure cookie", async () => {
    await page.fill("#token", TOKEN);
    await page.click('button[type="submit"]');
    await page.waitForSelector('.card[data-id="1_story_first_item"]');
    const session = (await page.context().cookies(base)).find((c) => c.name === "stork_session");
    check(session?.secure === true && session.httpOnly, "a Secure, HttpOnly cookie");
  });

  await step("the board goes live over wss:// through nginx", async () => {
    await page.waitForSelector('.connection[data-state="open"]');
    await page.evaluate(() => (window.__noReload = true));
    const source = join(project.root, "5_story_through_the_proxy.md");
    writeFileSync(source, "---\nname: Through the proxy\n---\n\n## Acceptance Criteria\n\n- [ ] shows\n");
    const since = Date.now();
    copyFileSync(source, join(project.repo, ".storkit", "work", "1_backlog", "5_story_through_the_proxy.md"));
    await page.waitForSelector('.card[data-id="5_story_through_the_proxy"]', { timeout: 5000 });
    console.log(`     copied item on the board after ${Date.now() - since} ms`);
    check(await page.evaluate(() => window.__noReload === true), "no reload");
    await page.screenshot({ path: join(args.out, "proxy-board.png") });
  });
} catch (error) {
  failed = true;
  console.log(String(error?.stack ?? error));
  console.log("nginx stderr:\n" + nginxErr);
  console.log("server stderr (tail):\n" + server.stderr().slice(-3000));
} finally {
  await browser.close();
  nginx.kill("SIGTERM");
  await server.stop();
  project.cleanup();
}
process.exit(failed ? 1 : 0);
