// Static files of the web UI: a request path mapped to a file under the static root, never
// outside it. Rules: a segment ".", "..", or containing "/", "\" or NUL (after decoding), or an
// empty segment before the last, is a bad path; a file that resolves (through symlinks)
// outside the root is not found; a path without an extension that names no file gets the
// root's index.html (the single-page app routes in the browser).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace stork::http {

struct StaticLookup {
  enum class Kind { Found, NotFound, BadPath };
  Kind kind = Kind::NotFound;
  std::filesystem::path file;  // Found: canonical path of the file to serve
  std::string content_type;    // Found
};

// `root` must be canonical (the server canonicalises static_dir once at start()).
StaticLookup find_static_file(const std::filesystem::path& root,
                              const std::vector<std::string>& segments);

// By extension, e.g. "text/html; charset=utf-8"; "application/octet-stream" when unknown.
std::string_view content_type_for(const std::filesystem::path& file);

}  // namespace stork::http
