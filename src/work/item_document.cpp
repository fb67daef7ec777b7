#include "work/item_document.hpp"

#include <algorithm>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "base/utf8.hpp"
#include "work/yaml_support.hpp"

namespace stork {

using work_detail::needs_quotes;

struct ItemDocument::Parsed {
  YAML::Node root;
  // Top-level keys in file order with their 0-based line inside lines_.
  std::vector<std::pair<std::string, size_t>> keys;
  // Every key starts its own line at column 0, so entries can be edited line by line.
  bool line_editable = true;
};

namespace {

constexpr std::string_view kOpening = "---";

std::string_view strip_eol(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Splits off the next line (with its ending) from `text` starting at `pos`.
std::string_view next_line(std::string_view text, size_t pos) {
  auto end = text.find('\n', pos);
  return text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos + 1);
}

bool is_blank_or_comment(std::string_view line) {
  auto content = strip_eol(line);
  auto first = content.find_first_not_of(" \t");
  return first == std::string_view::npos || content[first] == '#';
}

std::string with_eol(std::string_view text, const std::string& eol) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += eol;
    } else {
      out += c;
    }
  }
  return out;
}

bool is_plain_scalar(const YAML::Node& node) {
  return node.IsScalar() && node.Tag() != "!";
}

}  // namespace

ItemDocument::ItemDocument() : parsed_(std::make_unique<Parsed>()) {}
ItemDocument::ItemDocument(ItemDocument&&) noexcept = default;
ItemDocument& ItemDocument::operator=(ItemDocument&&) noexcept = default;
ItemDocument::~ItemDocument() = default;

ItemDocument::ItemDocument(const ItemDocument& other)
    : has_front_matter_(other.has_front_matter_),
      eol_(other.eol_),
      opening_(other.opening_),
      lines_(other.lines_),
      closing_(other.closing_),
      body_(other.body_),
      parsed_(std::make_unique<Parsed>()) {
  // yaml-cpp nodes share their data when copied; parse again for an independent copy.
  (void)reparse();
}

ItemDocument& ItemDocument::operator=(const ItemDocument& other) {
  if (this != &other) *this = ItemDocument(other);
  return *this;
}

ItemDocument ItemDocument::from_body(std::string body) {
  ItemDocument doc;
  if (body.find("\r\n") != std::string::npos) doc.eol_ = "\r\n";
  doc.body_ = std::move(body);
  return doc;
}

Result<ItemDocument, DocumentError> ItemDocument::parse(std::string text) {
  std::string_view view = text;
  std::string_view first = next_line(view, 0);
  if (strip_eol(first) != kOpening || first.back() != '\n') return from_body(std::move(text));

  ItemDocument doc;
  doc.has_front_matter_ = true;
  doc.opening_ = std::string(first);
  doc.eol_ = first.size() >= 2 && first[first.size() - 2] == '\r' ? "\r\n" : "\n";
  size_t pos = first.size();
  while (pos < view.size()) {
    std::string_view line = next_line(view, pos);
    pos += line.size();
    auto content = strip_eol(line);
    if (content == "---" || content == "...") {
      doc.closing_ = std::string(line);
      doc.body_ = std::string(view.substr(pos));
      if (auto parsed = doc.reparse(); !parsed) return fail(std::move(parsed).take_error());
      return doc;
    }
    doc.lines_.emplace_back(line);
  }
  return fail(DocumentError{1, 1, "front matter opened with '---' on line 1 is never closed"});
}

Result<void, DocumentError> ItemDocument::reparse() {
  auto parsed = std::make_unique<Parsed>();
  std::string yaml;
  for (const auto& line : lines_)
    yaml += line;
  const int first_line = 2;  // the YAML starts on the line after the opening '---'
  if (auto problem = work_detail::check_text(yaml)) {
    return fail(DocumentError{first_line + problem->line, problem->column + 1, problem->message});
  }
  if (auto problem = work_detail::check_single_document(yaml)) {
    return fail(DocumentError{first_line + problem->line, problem->column + 1, problem->message});
  }
  try {
    parsed->root = YAML::Load(yaml);
  } catch (const YAML::Exception& error) {
    return fail(DocumentError{first_line + error.mark.line, error.mark.column + 1,
                              "invalid YAML in front matter: " + error.msg});
  }
  if (auto problem = work_detail::check_structure(parsed->root)) {
    return fail(DocumentError{first_line + problem->line, problem->column + 1, problem->message});
  }
  if (parsed->root.IsNull()) parsed->root = YAML::Node(YAML::NodeType::Map);
  if (!parsed->root.IsMap()) {
    return fail(DocumentError{first_line, 1, "front matter must be a list of 'key: value' lines"});
  }
  for (auto it = parsed->root.begin(); it != parsed->root.end(); ++it) {
    if (!it->first.IsScalar()) {
      return fail(DocumentError{first_line + it->first.Mark().line, it->first.Mark().column + 1,
                                "front matter keys must be plain names"});
    }
    auto line = static_cast<size_t>(std::max(it->first.Mark().line, 0));
    bool shares_line = !parsed->keys.empty() && parsed->keys.back().second == line;
    if (it->first.Mark().column != 0 || shares_line) parsed->line_editable = false;
    parsed->keys.emplace_back(it->first.Scalar(), line);
  }
  parsed_ = std::move(parsed);
  return {};
}

std::string ItemDocument::text() const {
  if (!has_front_matter_) return body_;
  std::string out = opening_;
  for (const auto& line : lines_)
    out += line;
  return out + closing_ + body_;
}

int ItemDocument::body_first_line() const {
  if (!has_front_matter_) return 1;
  return static_cast<int>(lines_.size()) + 3;
}

std::vector<std::string> ItemDocument::keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, line] : parsed_->keys)
    keys.push_back(key);
  return keys;
}

bool ItemDocument::has(std::string_view key) const {
  return line_of(key) > 0;
}

int ItemDocument::line_of(std::string_view key) const {
  for (const auto& [name, line] : parsed_->keys) {
    if (name == key) return static_cast<int>(line) + 2;
  }
  return 0;
}

bool ItemDocument::has_value(std::string_view key) const {
  if (!has(key)) return false;
  return !parsed_->root[std::string(key)].IsNull();
}

std::string ItemDocument::describe_value(std::string_view key) const {
  const YAML::Node node = parsed_->root[std::string(key)];
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  return "nothing";
}

std::optional<std::string> ItemDocument::get_string(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  const YAML::Node node = parsed_->root[std::string(key)];
  if (!node.IsScalar()) return std::nullopt;
  return node.Scalar();
}

std::optional<bool> ItemDocument::get_bool(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  const YAML::Node node = parsed_->root[std::string(key)];
  bool value = false;
  if (is_plain_scalar(node) && YAML::convert<bool>::decode(node, value)) return value;
  return std::nullopt;
}

std::optional<long long> ItemDocument::get_int(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  const YAML::Node node = parsed_->root[std::string(key)];
  long long value = 0;
  if (is_plain_scalar(node) && YAML::convert<long long>::decode(node, value)) return value;
  return std::nullopt;
}

std::optional<std::vector<std::string>> ItemDocument::get_string_list(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  const YAML::Node node = parsed_->root[std::string(key)];
  if (node.IsScalar()) return std::vector<std::string>{node.Scalar()};
  if (!node.IsSequence()) return std::nullopt;
  std::vector<std::string> values;
  for (const auto& element : node) {
    if (!element.IsScalar()) return std::nullopt;
    values.push_back(element.Scalar());
  }
  return values;
}

std::pair<size_t, size_t> ItemDocument::entry_line_span(std::string_view key) const {
  const auto& keys = parsed_->keys;
  auto it = std::find_if(keys.begin(), keys.end(), [&](const auto& k) { return k.first == key; });
  size_t begin = it->second;
  size_t end = std::next(it) == keys.end() ? lines_.size() : std::next(it)->second;
  // Comments and blank lines just before the next key belong with that key, not this one.
  while (end > begin + 1 && is_blank_or_comment(lines_[end - 1]))
    --end;
  return {begin, end};
}

void ItemDocument::ensure_front_matter() {
  if (has_front_matter_) return;
  has_front_matter_ = true;
  opening_ = std::string(kOpening) + eol_;
  closing_ = std::string(kOpening) + eol_;
}

void ItemDocument::set_lines_from(std::string_view text) {
  lines_.clear();
  while (!text.empty()) {
    auto line = next_line(text, 0);
    lines_.push_back(with_eol(line, eol_));
    text.remove_prefix(line.size());
  }
  if (!lines_.empty() && lines_.back().back() != '\n') lines_.back() += eol_;
}

// The byte-preserving path: swaps the entry's lines for the new ones (or drops them).
bool ItemDocument::edit_lines(std::string_view key, const ValueWriter& write_value) {
  if (!parsed_->line_editable) return false;
  std::vector<std::string> new_lines;
  if (write_value) {
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << std::string(key) << YAML::Value;
    write_value(out);
    out << YAML::EndMap;
    std::string_view rest = out.c_str();
    while (!rest.empty()) {
      auto line = next_line(rest, 0);
      new_lines.push_back(with_eol(line, eol_));
      rest.remove_prefix(line.size());
    }
    if (!new_lines.empty() && new_lines.back().back() != '\n') new_lines.back() += eol_;
  }
  ensure_front_matter();
  auto at = lines_.end();
  if (has(key)) {
    auto [begin, end] = entry_line_span(key);
    at = lines_.erase(lines_.begin() + static_cast<long>(begin),
                      lines_.begin() + static_cast<long>(end));
  }
  lines_.insert(at, new_lines.begin(), new_lines.end());
  return reparse().ok();
}

// The fallback: the whole front matter emitted again from the parsed values, in key order.
bool ItemDocument::rewrite_all(std::string_view key, const ValueWriter& write_value) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  bool written = false;
  size_t entries = 0;
  for (const auto& [name, line] : parsed_->keys) {
    if (name == key) {
      if (!write_value || written) continue;
      written = true;
      out << YAML::Key << name << YAML::Value;
      write_value(out);
    } else {
      out << YAML::Key << name << YAML::Value;
      work_detail::emit_value(out, parsed_->root[name]);
    }
    ++entries;
  }
  if (write_value && !written) {
    out << YAML::Key << std::string(key) << YAML::Value;
    write_value(out);
    ++entries;
  }
  out << YAML::EndMap;
  ensure_front_matter();
  set_lines_from(entries == 0 ? std::string_view() : std::string_view(out.c_str()));
  return reparse().ok();
}

bool ItemDocument::verify_edit(const ItemDocument& before, std::string_view key, bool key_kept,
                               const ReadBack& reads_back) const {
  size_t expected_keys = 0;
  for (const auto& [name, line] : before.parsed_->keys) {
    if (name == key) continue;
    ++expected_keys;
    const YAML::Node now = parsed_->root[name];
    if (!now.IsDefined() || !work_detail::same_value(before.parsed_->root[name], now)) return false;
  }
  if (key_kept) ++expected_keys;
  return parsed_->keys.size() == expected_keys && reads_back(*this) && body_ == before.body_;
}

void ItemDocument::apply_edit(std::string_view key, const ValueWriter& write_value,
                              const ReadBack& reads_back) {
  const ItemDocument before(*this);
  const bool key_kept = static_cast<bool>(write_value);
  if (edit_lines(key, write_value) && verify_edit(before, key, key_kept, reads_back)) return;
  *this = before;
  if (rewrite_all(key, write_value) && verify_edit(before, key, key_kept, reads_back)) return;
  *this = before;
  throw std::logic_error("stork: cannot edit front matter field '" + std::string(key) +
                         "' without changing other fields; please report this file");
}

void ItemDocument::set_string(std::string_view key, std::string_view value) {
  const std::string text = work_detail::printable_text(value);
  apply_edit(
      key,
      [&](YAML::Emitter& out) {
        if (needs_quotes(text)) out << YAML::DoubleQuoted;
        out << text;
      },
      [&](const ItemDocument& doc) { return doc.get_string(key) == text; });
}

void ItemDocument::set_bool(std::string_view key, bool value) {
  apply_edit(
      key, [&](YAML::Emitter& out) { out << value; },
      [&](const ItemDocument& doc) { return doc.get_bool(key) == value; });
}

void ItemDocument::set_int(std::string_view key, long long value) {
  apply_edit(
      key, [&](YAML::Emitter& out) { out << value; },
      [&](const ItemDocument& doc) { return doc.get_int(key) == value; });
}

void ItemDocument::set_string_list(std::string_view key,
                                   const std::vector<std::string>& raw_values) {
  std::vector<std::string> values;
  values.reserve(raw_values.size());
  for (const auto& value : raw_values)
    values.push_back(work_detail::printable_text(value));
  apply_edit(
      key,
      [&](YAML::Emitter& out) {
        out << YAML::Flow << YAML::BeginSeq;
        for (const auto& value : values) {
          if (needs_quotes(value)) out << YAML::DoubleQuoted;
          out << value;
        }
        out << YAML::EndSeq;
      },
      [&](const ItemDocument& doc) {
        auto read = doc.get_string_list(key);
        return read && *read == values && doc.parsed_->root[std::string(key)].IsSequence();
      });
}

void ItemDocument::remove(std::string_view key) {
  if (!has(key)) return;
  apply_edit(key, ValueWriter{}, [&](const ItemDocument& doc) { return !doc.has(key); });
}

void ItemDocument::replace_in_body(size_t offset, size_t length, std::string_view replacement) {
  body_.replace(offset, length, replacement);
}

}  // namespace stork
