// libFuzzer target: arbitrary bytes as a work-item file (ItemDocument + acceptance criteria).
//
// Invariants checked (a violation traps, so libFuzzer saves the input):
//  - a document that parses serialises back to its input byte for byte;
//  - every getter works on every key, and the getters agree with each other;
//  - every acceptance criterion points at its own box in the body;
//  - after an edit (set_string / set_bool / set_int / set_string_list / remove, two in a row),
//    the text re-parses, the edited field reads back with the value set, the other fields keep
//    their values and the body is untouched.
// The edits and values are chosen from a hash of the input, so every input is reproducible.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "base/utf8.hpp"
#include "work/acceptance_criteria.hpp"
#include "work/item_document.hpp"

namespace {

using stork::ItemDocument;

// What the target was doing, printed when an invariant fails (saves a debugger session).
std::string g_context;

// Control bytes (NUL included) are printed escaped so the whole context shows.
std::string printable_context(const std::string& text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n' || (byte >= 0x20 && byte != 0x7f)) {
      out += c;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    }
  }
  return out;
}

[[noreturn]] void violated(const char* condition, int line) {
  std::fprintf(stderr, "front_matter_fuzz: invariant violated at line %d: %s\n%s\n", line,
               condition, printable_context(g_context).c_str());
  __builtin_trap();
}

#define FUZZ_CHECK(condition)                         \
  do {                                                \
    if (!(condition)) violated(#condition, __LINE__); \
  } while (false)

// Deterministic choices derived from the input.
class Chooser {
 public:
  explicit Chooser(std::string_view data) {
    for (unsigned char c : data)
      state_ = (state_ ^ c) * 1099511628211ULL;  // FNV-1a
  }
  uint64_t next() {
    state_ ^= state_ >> 33;
    state_ *= 0xff51afd7ed558ccdULL;
    state_ ^= state_ >> 33;
    return state_;
  }
  size_t below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(next() % n); }

 private:
  uint64_t state_ = 14695981039346656037ULL;
};

bool valid_utf8(std::string_view text);

// What a value set with set_string reads back as (ItemDocument's documented contract):
// printable UTF-8, with invalid bytes and control characters other than tab, CR and LF
// replaced by U+FFFD. Written here independently of src/work so the check is not circular.
std::string stored_form(std::string_view value) {
  std::string out;
  for (char c : stork::repair_utf8(value)) {
    const auto byte = static_cast<unsigned char>(c);
    const bool control = (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f;
    out += control ? std::string("\xEF\xBF\xBD") : std::string(1, c);
  }
  return out;
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    unsigned char low = 0x80, high = 0xbf;  // range of the second byte
    if (c < 0x80) {
      length = 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
      length = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      length = 3;
      if (c == 0xe0) low = 0xa0;
      if (c == 0xed) high = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      length = 4;
      if (c == 0xf0) low = 0x90;
      if (c == 0xf4) high = 0x8f;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (k == 1 ? (next < low || next > high) : (next & 0xc0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

// Values that have tripped YAML emitters before: keywords, numbers, indicators, whitespace.
const char* const kTrickyStrings[] = {
    "",
    " ",
    "plain",
    "yes",
    "No",
    "TRUE",
    "off",
    "null",
    "Null",
    "~",
    "0",
    "-1",
    "0x1F",
    "1e3",
    ".inf",
    ".NaN",
    "1_000",
    "a: b",
    "a:b",
    "#not a comment",
    "a #b",
    "- item",
    "? key",
    "[x]",
    "{y}",
    "'single'",
    "\"double\"",
    "back\\slash",
    "&anchor",
    "*alias",
    "!tag",
    "|",
    ">",
    "%",
    "@",
    "`",
    "---",
    "...",
    "  leading",
    "trailing  ",
    "multi\nline",
    "crlf\r\nline",
    "tab\there",
    "\x01\x7f",
    "caf\xc3\xa9",
    "\xe2\x9c\x93 done",
    "12_story_login",
    "a very long value that goes on and on and on and on and on and on and on and on and on",
};

const char* const kKeys[] = {"name",        "agent",      "blocked",       "blocked_reason",
                             "retry_count", "depends_on", "merge_failure", "review_hold",
                             "qa",          "x"};

const long long kInts[] = {
    0, 1, -1, 42, std::numeric_limits<long long>::max(), std::numeric_limits<long long>::min()};

std::string choose_string(Chooser& choose, std::string_view data) {
  if (choose.below(3) != 0) return kTrickyStrings[choose.below(std::size(kTrickyStrings))];
  // A slice of the input itself: arbitrary bytes.
  size_t start = choose.below(data.size() + 1);
  size_t length = choose.below(48);
  return std::string(data.substr(start, length));
}

// A snapshot of what the getters say about one key, for "other fields keep their values".
struct Reading {
  bool has = false;
  bool has_value = false;
  std::string describe;
  std::optional<std::string> string;
  std::optional<bool> boolean;
  std::optional<long long> integer;
  std::optional<std::vector<std::string>> list;
  friend bool operator==(const Reading&, const Reading&) = default;
};

Reading read_key(const ItemDocument& doc, std::string_view key) {
  Reading r;
  r.has = doc.has(key);
  r.has_value = doc.has_value(key);
  if (r.has) r.describe = doc.describe_value(key);  // documented for present keys only
  r.string = doc.get_string(key);
  r.boolean = doc.get_bool(key);
  r.integer = doc.get_int(key);
  r.list = doc.get_string_list(key);

  FUZZ_CHECK(r.has == (doc.line_of(key) > 0));
  if (!r.has) {
    FUZZ_CHECK(!r.has_value && !r.string && !r.boolean && !r.integer && !r.list);
  } else {
    FUZZ_CHECK(doc.line_of(key) >= 2);
    FUZZ_CHECK(doc.line_of(key) < doc.body_first_line() - 1);
  }
  if (r.boolean || r.integer) FUZZ_CHECK(r.string.has_value());
  if (r.string) {
    FUZZ_CHECK(r.list.has_value() && r.list->size() == 1 && r.list->front() == *r.string);
  }
  return r;
}

void check_criteria(std::string_view body) {
  auto criteria = stork::parse_criteria(body);
  for (size_t i = 0; i < criteria.size(); ++i) {
    const auto& c = criteria[i];
    FUZZ_CHECK(c.index == i);
    FUZZ_CHECK(c.line >= 1);
    FUZZ_CHECK(c.box_offset >= 1 && c.box_offset + 1 < body.size());
    FUZZ_CHECK(body[c.box_offset - 1] == '[' && body[c.box_offset + 1] == ']');
    const char mark = body[c.box_offset];
    FUZZ_CHECK(c.checked ? (mark == 'x' || mark == 'X') : mark == ' ');
  }
  // Ticking a box (what WorkItem::set_criterion does) changes that criterion and nothing else.
  if (!criteria.empty()) {
    const auto& c = criteria.back();
    std::string ticked(body);
    ticked[c.box_offset] = c.checked ? ' ' : 'x';
    auto after = stork::parse_criteria(ticked);
    FUZZ_CHECK(after.size() == criteria.size());
    for (size_t i = 0; i < after.size(); ++i) {
      FUZZ_CHECK(after[i].text == criteria[i].text);
      FUZZ_CHECK(after[i].box_offset == criteria[i].box_offset);
      FUZZ_CHECK(after[i].checked == (i + 1 == after.size() ? !c.checked : criteria[i].checked));
    }
  }
}

// Reads every key, checks the readings are self-consistent; returns them in key order.
std::vector<std::pair<std::string, Reading>> read_all(const ItemDocument& doc) {
  std::vector<std::pair<std::string, Reading>> readings;
  for (const auto& key : doc.keys())
    readings.emplace_back(key, read_key(doc, key));
  (void)read_key(doc, "no such key \x01");
  return readings;
}

bool has_duplicate_keys(const ItemDocument& doc) {
  auto keys = doc.keys();
  for (size_t i = 0; i < keys.size(); ++i) {
    for (size_t j = i + 1; j < keys.size(); ++j) {
      if (keys[i] == keys[j]) return true;
    }
  }
  return false;
}

std::string join_quoted(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values)
    out += (out.empty() ? "'" : ", '") + value + "'";
  return out;
}

// One edit chosen by `choose`; checks it on `doc` (which it modifies). False when the edit hit
// a known bug and the document is no longer worth checking.
bool edit_and_check(ItemDocument& doc, Chooser& choose, std::string_view data) {
  const auto before = read_all(doc);
  const std::string text_before = doc.text();
  const std::string body = doc.body();
  const bool duplicates = has_duplicate_keys(doc);
  const bool text_was_utf8 = valid_utf8(doc.text());

  // A key of the document (stork only ever edits its own, ASCII, keys; yaml-cpp's emitter
  // rewrites invalid UTF-8 in a key, which would make it a different key) or one of stork's.
  std::string key = kKeys[choose.below(std::size(kKeys))];
  if (!before.empty() && choose.below(2) == 0) {
    const std::string& existing = before[choose.below(before.size())].first;
    if (valid_utf8(existing)) key = existing;
  }

  enum Op { kString, kBool, kInt, kList, kRemove };
  const auto op = static_cast<Op>(choose.below(5));
  std::string string_value;
  bool bool_value = false;
  long long int_value = 0;
  std::vector<std::string> list_value;
  switch (op) {
    case kString:
      string_value = choose_string(choose, data);
      break;
    case kBool:
      bool_value = choose.below(2) == 0;
      break;
    case kInt:
      int_value = kInts[choose.below(std::size(kInts))];
      break;
    case kList:
      for (size_t n = choose.below(4); n > 0; --n)
        list_value.push_back(choose_string(choose, data));
      break;
    case kRemove:
      break;
  }
  static const char* const kOpNames[] = {"set_string", "set_bool", "set_int", "set_string_list",
                                         "remove"};
  std::string value_text = op == kString ? "'" + string_value + "'"
                           : op == kBool ? (bool_value ? "true" : "false")
                           : op == kInt  ? std::to_string(int_value)
                           : op == kList ? "[" + join_quoted(list_value) + "]"
                                         : "";
  const std::string call = std::string(kOpNames[op]) + "('" + key + "', " + value_text + ")";

  g_context = call + " on:\n" + doc.text();
  try {
    switch (op) {
      case kString:
        doc.set_string(key, string_value);
        break;
      case kBool:
        doc.set_bool(key, bool_value);
        break;
      case kInt:
        doc.set_int(key, int_value);
        break;
      case kList:
        doc.set_string_list(key, list_value);
        break;
      case kRemove:
        doc.remove(key);
        break;
    }
  } catch (const std::logic_error& error) {
    // ItemDocument's documented refusal: neither a line edit nor a whole rewrite keeps every
    // other field as it was (seen with complex keys and custom tags). It must leave the
    // document exactly as it was (the strong guarantee); the refusal itself is known.
    g_context += "\nrefused: " + std::string(error.what());
    const std::string refused(error.what());
    if (refused.find("cannot edit front matter field") == std::string::npos)
      violated("the edit does not throw anything but its documented refusal", __LINE__);
    if (doc.text() != text_before) violated("a refused edit leaves the text as it was", __LINE__);
    return false;
  } catch (const std::exception& error) {
    g_context += "\nthrew: " + std::string(error.what());
    violated("the edit does not throw", __LINE__);
  }

  // The edited text must parse again, and the document must agree with a fresh parse of it.
  const std::string text = doc.text();
  g_context = "after " + call + ", text() is:\n" + text;
  auto reparsed = ItemDocument::parse(text);
  if (!reparsed) {
    g_context += "\nwhich does not parse: " + std::to_string(reparsed.error().line) + ":" +
                 std::to_string(reparsed.error().column) + ": " + reparsed.error().message;
  }
  FUZZ_CHECK(reparsed.ok());
  FUZZ_CHECK(reparsed->text() == text);
  FUZZ_CHECK(reparsed->body() == body);
  FUZZ_CHECK(doc.body() == body);
  FUZZ_CHECK(reparsed->keys() == doc.keys());

  // The edited field reads back with the value set (through both the edited and the fresh
  // document). Duplicate keys are ambiguous, so only the single-key case is checked strictly.
  for (const ItemDocument* view : {&doc, &reparsed.value()}) {
    switch (op) {
      case kString: {
        // yaml-cpp's emitter replaces invalid UTF-8 (YAML is Unicode); anything valid survives.
        auto got = view->get_string(key);
        FUZZ_CHECK(got.has_value());
        FUZZ_CHECK(*got == stored_form(string_value));
        break;
      }
      case kBool:
        FUZZ_CHECK(view->get_bool(key) == bool_value);
        break;
      case kInt:
        FUZZ_CHECK(view->get_int(key) == int_value);
        break;
      case kList: {
        auto got = view->get_string_list(key);
        FUZZ_CHECK(got.has_value());
        std::vector<std::string> expected;
        for (const auto& value : list_value)
          expected.push_back(stored_form(value));
        FUZZ_CHECK(*got == expected);
        break;
      }
      case kRemove:
        if (!duplicates) FUZZ_CHECK(!view->has(key));
        break;
    }
  }

  // Every other field keeps its value. (Unless the front matter is not UTF-8: when an edit has
  // to re-emit the whole front matter, yaml-cpp's emitter replaces invalid sequences.)
  if (!duplicates && text_was_utf8) {
    for (const auto& [other, reading] : before) {
      if (other == key) continue;
      FUZZ_CHECK(read_key(doc, other) == reading);
      FUZZ_CHECK(read_key(*reparsed, other) == reading);
    }
  }
  return true;
}

// The YAML between the '---' lines of a parsed document with front matter.
std::string_view front_matter_of(std::string_view input, const ItemDocument& doc) {
  std::string_view head = input.substr(0, input.size() - doc.body().size());
  head.remove_prefix(head.find('\n') + 1);  // the opening line always ends with '\n'
  std::string_view without_closing = head;
  if (!without_closing.empty() && without_closing.back() == '\n') without_closing.remove_suffix(1);
  const auto cut = without_closing.rfind('\n');
  return cut == std::string_view::npos ? std::string_view() : head.substr(0, cut + 1);
}

// The bugs this target has found, and how each was fixed, are listed in regressions/README.md;
// their inputs are replayed on every run. To park a bug while it is open, return early from
// LLVMFuzzerTestOneInput for the inputs that hit it, so the fuzzer keeps finding new ones.

// Counts the YAML documents in `yaml` (up to 3) with yaml-cpp's event parser. Not
// YAML::LoadAll, nor an unbounded loop: on input starting with ',' yaml-cpp yields null
// documents forever without consuming anything.
class DocumentCounter : public YAML::EventHandler {
 public:
  size_t documents = 0;
  void OnDocumentStart(const YAML::Mark&) override { ++documents; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// A front matter that parse() accepted holds one YAML document: yaml-cpp's Load() would keep
// the first of several and silently drop the rest (bug 1).
void check_single_document(std::string_view input, const ItemDocument& doc) {
  if (!doc.has_front_matter()) return;
  const std::string_view yaml = front_matter_of(input, doc);
  std::istringstream stream{std::string(yaml)};
  YAML::Parser parser(stream);
  DocumentCounter counter;
  try {
    for (int i = 0; i < 3 && parser.HandleNextDocument(counter); ++i) {
    }
  } catch (const YAML::Exception&) {
  }
  g_context = "front matter:\n" + std::string(yaml);
  FUZZ_CHECK(counter.documents <= 1);
  g_context.clear();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  g_context.clear();
  auto parsed = ItemDocument::parse(input);
  if (!parsed) {
    const auto& error = parsed.error();
    FUZZ_CHECK(error.line >= 1 && error.column >= 1 && !error.message.empty());
    check_criteria(input);  // the CLI still shows the body of a file it cannot parse
    return 0;
  }
  ItemDocument& doc = *parsed;

  // Byte-for-byte: an unedited document serialises to its input.
  FUZZ_CHECK(doc.text() == input);
  FUZZ_CHECK(input.size() >= doc.body().size());
  FUZZ_CHECK(input.compare(input.size() - doc.body().size(), std::string::npos, doc.body()) == 0);
  FUZZ_CHECK(doc.body_first_line() >= 1);
  if (!doc.has_front_matter()) FUZZ_CHECK(doc.keys().empty() && doc.body() == input);

  (void)read_all(doc);
  check_criteria(doc.body());

  // Copies are independent and equal.
  ItemDocument copy = doc;
  FUZZ_CHECK(copy.text() == input && copy.keys() == doc.keys());

  check_single_document(input, doc);

  Chooser choose(input);
  if (edit_and_check(copy, choose, input)) (void)edit_and_check(copy, choose, input);
  FUZZ_CHECK(doc.text() == input);  // editing the copy left the original alone
  return 0;
}
