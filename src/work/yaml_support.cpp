#include "work/yaml_support.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

#include <yaml-cpp/eventhandler.h>

#include "base/utf8.hpp"

namespace stork::work_detail {
namespace {

// Counts the nodes of each document the parser walks through.
class NodeCounter : public YAML::EventHandler {
 public:
  int nodes = 0;
  YAML::Mark first_mark;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { count(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { count(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    count(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    count(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    count(mark);
  }
  void OnMapEnd() override {}

 private:
  void count(const YAML::Mark& mark) {
    if (nodes++ == 0) first_mark = mark;
  }
};

bool has_content(const std::string& yaml) {
  std::istringstream lines(yaml);
  for (std::string line; std::getline(lines, line);) {
    auto first = line.find_first_not_of(" \t\r");
    if (first != std::string::npos && line[first] != '#') return true;
  }
  return false;
}

std::optional<YamlShapeProblem> check_later_documents(YAML::Parser& parser) {
  // Bounded: yaml-cpp can report an endless run of empty documents for some inputs.
  for (int extra = 0; extra < 4; ++extra) {
    NodeCounter next;
    try {
      if (!parser.HandleNextDocument(next)) break;
    } catch (const YAML::Exception& error) {
      return YamlShapeProblem{
          error.mark.line, error.mark.column,
          "the front matter continues after its first YAML value with text that "
          "is not YAML: " +
              error.msg};
    }
    if (next.nodes > 0) {
      return YamlShapeProblem{
          next.first_mark.line, next.first_mark.column,
          "the front matter holds more than one YAML document (is a line missing "
          "its 'key:' or a bracket its partner?)"};
    }
  }
  return std::nullopt;
}

}  // namespace

// YAML text must be UTF-8 without control characters other than tab, CR and LF (YAML 1.2
// "printable"); yaml-cpp accepts more, and values with such bytes cannot be written back
// faithfully.
std::optional<YamlShapeProblem> check_text(std::string_view yaml) {
  auto position = [&](size_t offset, std::string message) {
    auto before = yaml.substr(0, offset);
    int line = static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    auto line_start = before.rfind('\n');
    int column =
        static_cast<int>(line_start == std::string_view::npos ? offset : offset - line_start - 1);
    return YamlShapeProblem{line, column, std::move(message)};
  };
  if (auto bad = find_invalid_utf8(yaml); bad != std::string_view::npos) {
    return position(bad, "the front matter is not valid UTF-8");
  }
  for (size_t i = 0; i < yaml.size(); ++i) {
    auto c = static_cast<unsigned char>(yaml[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      return position(
          i, "the front matter contains a control character (byte " + std::to_string(c) + ")");
    }
  }
  return std::nullopt;
}

std::optional<YamlShapeProblem> check_single_document(const std::string& yaml) {
  std::istringstream input(yaml);
  YAML::Parser parser(input);
  NodeCounter first;
  try {
    if (!parser.HandleNextDocument(first) || first.nodes == 0) {
      if (has_content(yaml)) return YamlShapeProblem{0, 0, "the front matter is not readable YAML"};
      return std::nullopt;
    }
  } catch (const YAML::Exception&) {
    return std::nullopt;  // a syntax error in the first document: YAML::Load reports it
  }
  return check_later_documents(parser);
}

namespace {

// Walks the value graph with limits, so that self-referring aliases (`a: &d {s: *d}`) and
// alias bombs are refused instead of recursing without end.
class StructureCheck {
 public:
  std::optional<YamlShapeProblem> run(const YAML::Node& node) {
    walk(node, 0);
    return problem_;
  }

 private:
  static constexpr int kMaxDepth = 32;
  static constexpr int kMaxNodes = 20000;

  void walk(const YAML::Node& node, int depth) {
    if (problem_) return;
    if (depth > kMaxDepth || ++visited_ > kMaxNodes) {
      problem_ = YamlShapeProblem{node.Mark().line, node.Mark().column,
                                  "the front matter nests too deeply, refers to itself, or expands "
                                  "to too many values"};
      return;
    }
    if (node.IsSequence()) {
      for (const auto& element : node)
        walk(element, depth + 1);
    } else if (node.IsMap()) {
      std::vector<std::string> keys;
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it->first.IsScalar()) {
          if (std::find(keys.begin(), keys.end(), it->first.Scalar()) != keys.end()) {
            problem_ = YamlShapeProblem{
                it->first.Mark().line, it->first.Mark().column,
                "key '" + it->first.Scalar() + "' appears twice in the same mapping"};
            return;
          }
          keys.push_back(it->first.Scalar());
        } else {
          walk(it->first, depth + 1);
        }
        walk(it->second, depth + 1);
      }
    }
  }

  int visited_ = 0;
  std::optional<YamlShapeProblem> problem_;
};

// A plain scalar that YAML resolves to something other than a string (null, bool, number).
bool resolves_as_non_string(std::string_view value) {
  if (value.empty()) return true;
  std::string lower;
  for (unsigned char c : value)
    lower += static_cast<char>(std::tolower(c));
  static const char* const kKeywords[] = {"y",     "n",  "yes", "no",   "true",
                                          "false", "on", "off", "null", "~"};
  for (const char* keyword : kKeywords) {
    if (lower == keyword) return true;
  }
  return value.find_first_not_of("0123456789+-.eE_xXoO") == std::string_view::npos;
}

// Plain ("?") and quoted ("!") scalars mean the same when the plain one reads as a string.
bool same_scalar(const YAML::Node& a, const YAML::Node& b) {
  if (a.Scalar() != b.Scalar()) return false;
  if (a.Tag() == b.Tag()) return true;
  const bool plain_or_quoted =
      (a.Tag() == "?" || a.Tag() == "!") && (b.Tag() == "?" || b.Tag() == "!");
  return plain_or_quoted && !resolves_as_non_string(a.Scalar());
}

}  // namespace

std::optional<YamlShapeProblem> check_structure(const YAML::Node& root) {
  return StructureCheck().run(root);
}

bool same_value(const YAML::Node& a, const YAML::Node& b) {
  if (a.Type() != b.Type()) return false;
  switch (a.Type()) {
    case YAML::NodeType::Scalar:
      return same_scalar(a, b);
    case YAML::NodeType::Sequence: {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!same_value(a[i], b[i])) return false;
      }
      return true;
    }
    case YAML::NodeType::Map: {
      // Pairwise in order: edits keep key order, and keys may themselves be maps.
      if (a.size() != b.size()) return false;
      for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
        if (!same_value(ia->first, ib->first) || !same_value(ia->second, ib->second)) return false;
      }
      return true;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return true;
  }
  return false;
}

std::string printable_text(std::string_view value) {
  std::string text = repair_utf8(value);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f) {
      out += "\xEF\xBF\xBD";
    } else {
      out += c;
    }
  }
  return out;
}

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  if (value.front() == ' ' || value.back() == ' ' || value.front() == '\t' || value.back() == '\t')
    return true;
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return resolves_as_non_string(value);
}

void emit_value(YAML::Emitter& out, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: {
      // yaml-cpp tags parsed scalars "?" (plain), "!" (quoted) or with their explicit tag.
      const std::string& tag = node.Tag();
      const bool explicit_tag = !tag.empty() && tag != "?" && tag != "!";
      if (explicit_tag) out << YAML::VerbatimTag(tag);
      if (tag == "!" || (tag != "?" && needs_quotes(node.Scalar()))) out << YAML::DoubleQuoted;
      out << node.Scalar();
      return;
    }
    case YAML::NodeType::Sequence:
      if (node.Style() == YAML::EmitterStyle::Flow) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& element : node)
        emit_value(out, element);
      out << YAML::EndSeq;
      return;
    case YAML::NodeType::Map:
      if (node.Style() == YAML::EmitterStyle::Flow) out << YAML::Flow;
      out << YAML::BeginMap;
      for (auto it = node.begin(); it != node.end(); ++it) {
        out << YAML::Key;
        emit_value(out, it->first);
        out << YAML::Value;
        emit_value(out, it->second);
      }
      out << YAML::EndMap;
      return;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out << YAML::Null;
      return;
  }
}

}  // namespace stork::work_detail
