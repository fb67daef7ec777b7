#include "git/git_output.hpp"

namespace stork {

std::string trim_line_end(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

namespace {

std::vector<std::string> split_at(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find(separator, pos);
    if (end == std::string_view::npos) end = text.size();
    parts.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

}  // namespace

std::vector<std::string> split_nul(std::string_view text) {
  return split_at(text, '\0');
}

std::vector<std::string> split_lines(std::string_view text) {
  return split_at(text, '\n');
}

std::string unquote_path(std::string_view text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return std::string(text);
  std::string out;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    char c = text[i];
    if (c != '\\' || i + 2 >= text.size()) {
      out += c;
      continue;
    }
    char next = text[++i];
    switch (next) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      default:
        if (next >= '0' && next <= '3' && i + 2 < text.size() - 1) {
          // Three octal digits: one byte of a UTF-8 sequence or a control character.
          int value = ((next - '0') << 6) | ((text[i + 1] - '0') << 3) | (text[i + 2] - '0');
          out += static_cast<char>(value);
          i += 2;
        } else {
          out += next;  // \" and \\ stand for themselves
        }
    }
  }
  return out;
}

GitError git_failure(std::vector<std::string> args, std::string why) {
  return GitError{std::move(args), -1, std::move(why)};
}

GitResult<std::string> branch_commit(const GitRepo& repo, const std::string& branch) {
  std::vector<std::string> args = {"rev-parse", "--verify", "-q", "--end-of-options",
                                   "refs/heads/" + branch + "^{commit}"};
  auto commit = repo.run(args);
  if (commit) return trim_line_end(std::move(*commit));
  if (commit.error().exit_code == 1) {
    return fail(git_failure(std::move(args),
                            "branch '" + branch + "' does not exist in " + repo.root().string()));
  }
  return fail(std::move(commit).take_error());
}

}  // namespace stork
