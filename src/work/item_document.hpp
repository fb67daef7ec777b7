// ItemDocument: a markdown file with optional YAML front matter, edited so that everything not
// explicitly changed survives byte-for-byte: unknown fields, their order, comments, quoting,
// CRLF line endings and the whole markdown body. Reads go through yaml-cpp; an edit rewrites
// only the lines of the one top-level entry it touches (located by yaml-cpp's key positions).
// Owns no file: StageStore reads and writes the bytes.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace YAML {
class Emitter;
}

namespace stork {

// A problem in the document's text, positioned for an editor (1-based line and column).
struct DocumentError {
  int line = 0;
  int column = 0;
  std::string message;
};

class ItemDocument {
 public:
  static Result<ItemDocument, DocumentError> parse(std::string text);

  // A document with no front matter and the given body.
  static ItemDocument from_body(std::string body);

  ItemDocument(ItemDocument&&) noexcept;
  ItemDocument& operator=(ItemDocument&&) noexcept;
  ItemDocument(const ItemDocument&);
  ItemDocument& operator=(const ItemDocument&);
  ~ItemDocument();

  // The file's bytes; identical to the parsed text until an edit is made.
  std::string text() const;
  const std::string& body() const { return body_; }
  int body_first_line() const;  // 1-based line in the file where the body starts
  bool has_front_matter() const { return has_front_matter_; }

  // Top-level keys in file order.
  std::vector<std::string> keys() const;
  bool has(std::string_view key) const;
  int line_of(std::string_view key) const;  // 1-based file line of the key, 0 if absent

  // Typed reads. nullopt when absent, null, or of another type (type_problem() says which).
  std::optional<std::string> get_string(std::string_view key) const;
  std::optional<bool> get_bool(std::string_view key) const;
  std::optional<long long> get_int(std::string_view key) const;
  // A sequence of scalars; a single scalar is read as a one-element list.
  std::optional<std::vector<std::string>> get_string_list(std::string_view key) const;
  // True when the key is present with a non-null value (whatever its type).
  bool has_value(std::string_view key) const;
  // How a present value looks, for messages: "'maybe'", "a list", "a mapping".
  std::string describe_value(std::string_view key) const;

  // Edits. Text values are stored as printable UTF-8 (invalid bytes and control characters
  // other than tab, CR and LF become U+FFFD). Each replaces (or
  // appends, or removes) only the lines of the entry for `key`, then checks the result: every other
  // field must read back unchanged and `key` as set. If the layout defeats a line edit (flow
  // mappings, anchors other fields use, comments that would join a block scalar, ...) the front
  // matter is instead rewritten whole from its parsed values, which keeps every value but not
  // comments or formatting. An edit that cannot be made to verify either way is a broken invariant
  // and throws std::logic_error.
  void set_string(std::string_view key, std::string_view value);
  void set_bool(std::string_view key, bool value);
  void set_int(std::string_view key, long long value);
  void set_string_list(std::string_view key, const std::vector<std::string>& values);
  void remove(std::string_view key);

  // Replaces `length` bytes of the body at `offset`.
  void replace_in_body(size_t offset, size_t length, std::string_view replacement);

 private:
  struct Parsed;  // yaml-cpp state, kept out of this header

  ItemDocument();
  Result<void, DocumentError> reparse();
  using ValueWriter = std::function<void(YAML::Emitter&)>;  // empty: remove the key
  using ReadBack = std::function<bool(const ItemDocument&)>;

  void apply_edit(std::string_view key, const ValueWriter& write_value, const ReadBack& reads_back);
  bool edit_lines(std::string_view key, const ValueWriter& write_value);
  bool rewrite_all(std::string_view key, const ValueWriter& write_value);
  bool verify_edit(const ItemDocument& before, std::string_view key, bool key_kept,
                   const ReadBack& reads_back) const;
  void ensure_front_matter();
  void set_lines_from(std::string_view text);
  std::pair<size_t, size_t> entry_line_span(std::string_view key) const;

  bool has_front_matter_ = false;
  std::string eol_ = "\n";          // the document's line ending, used for inserted lines
  std::string opening_;             // "---" line with its line ending
  std::vector<std::string> lines_;  // front matter lines, each with its line ending
  std::string closing_;             // "---" or "..." line with its line ending (may lack one)
  std::string body_;
  std::unique_ptr<Parsed> parsed_;
};

}  // namespace stork
