// The login page: one small self-contained HTML document (no build step, no assets, so it
// loads before the person is allowed to fetch the board's files).
#include "http/login.hpp"

namespace stork::http {
namespace {

std::string escape_html(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

constexpr const char* kHead = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>stork: log in</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f4f5;display:flex;justify-content:center;
margin:0;padding-top:15vh}
form{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002;width:22rem}
h1{font-size:1.2rem;margin:0 0 1rem}input{width:100%;box-sizing:border-box;padding:.5rem;
margin:.5rem 0 1rem;font:inherit}button{padding:.5rem 1rem;font:inherit}
#message{color:#b91c1c;min-height:1.2em;margin:0 0 .5rem}
</style></head><body>
<form id="login"><h1>stork</h1>
<p id="message" role="alert">)";

constexpr const char* kTail = R"(</p>
<label for="token">Token (from <code>stork serve</code>)</label>
<input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
<button type="submit">Log in</button></form>
<script>
document.getElementById("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = document.getElementById("message");
  message.textContent = "";
  const token = document.getElementById("token").value;
  try {
    const response = await fetch("/login", {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify({token})});
    if (response.ok) { location.replace(location.pathname === "/login" ? "/" : location.href); return; }
    const body = await response.json().catch(() => ({}));
    message.textContent = (body.error && body.error.message) || ("login failed: " + response.status);
  } catch (error) {
    message.textContent = "cannot reach the server: " + error;
  }
});
</script></body></html>
)";

}  // namespace

Response login_page(unsigned status, const std::string& message) {
  Response response =
      Response::text(status, kHead + escape_html(message) + kTail, "text/html; charset=utf-8");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace stork::http
