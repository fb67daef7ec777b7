#include "http/static_files.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <system_error>
#include <utility>

namespace stork::http {

namespace fs = std::filesystem;

namespace {

bool bad_segment(const std::string& segment) {
  return segment == "." || segment == ".." ||
         segment.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos;
}

// Both canonical: is `file` at or below `root`? Compared by components, so "/srv/web2" is not
// inside "/srv/web".
bool inside(const fs::path& root, const fs::path& file) {
  auto [root_end, file_end] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  return root_end == root.end();
}

StaticLookup found_if_inside(const fs::path& root, const fs::path& candidate) {
  std::error_code error;
  if (!fs::is_regular_file(candidate, error)) return {};
  fs::path canonical = fs::canonical(candidate, error);
  if (error || !inside(root, canonical)) return {};
  return {StaticLookup::Kind::Found, canonical, std::string(content_type_for(canonical))};
}

}  // namespace

StaticLookup find_static_file(const fs::path& root, const std::vector<std::string>& segments) {
  fs::path candidate = root;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    if (bad_segment(segment)) return {StaticLookup::Kind::BadPath, {}, {}};
    if (segment.empty()) {
      if (i + 1 != segments.size()) return {StaticLookup::Kind::BadPath, {}, {}};
      continue;  // "/docs/": a directory, handled by the fallback below
    }
    candidate /= segment;
  }
  StaticLookup lookup = found_if_inside(root, candidate);
  if (lookup.kind == StaticLookup::Kind::Found) return lookup;

  // The SPA fallback: "/", "/board", "/items/42_story_x/" – but not "/app.js" or "/logo.png",
  // whose absence is a real 404.
  std::string last;
  for (const std::string& segment : segments) {
    if (!segment.empty()) last = segment;
  }
  if (last.find('.') != std::string::npos) return {};
  return found_if_inside(root, root / "index.html");
}

std::string_view content_type_for(const fs::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> types = {{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"},
  }};
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [known, type] : types) {
    if (extension == known) return type;
  }
  return "application/octet-stream";
}

}  // namespace stork::http
