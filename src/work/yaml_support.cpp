#include "work/yaml_support.hpp"

#include <cctype>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

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

std::optional<YamlShapeProblem> count_documents(const std::string& yaml) {
  std::istringstream input(yaml);
  YAML::Parser parser(input);
  NodeCounter first;
  if (!parser.HandleNextDocument(first) || first.nodes == 0) {
    if (has_content(yaml)) return YamlShapeProblem{0, 0, "the front matter is not readable YAML"};
    return std::nullopt;
  }
  // Bounded: yaml-cpp can report an endless run of empty documents for some inputs.
  for (int extra = 0; extra < 4; ++extra) {
    NodeCounter next;
    if (!parser.HandleNextDocument(next)) break;
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

std::optional<YamlShapeProblem> check_single_document(const std::string& yaml) {
  try {
    return count_documents(yaml);
  } catch (const YAML::Exception&) {
    return std::nullopt;  // a syntax error: YAML::Load reports it with its position
  }
}

bool same_value(const YAML::Node& a, const YAML::Node& b) {
  if (a.Type() != b.Type()) return false;
  switch (a.Type()) {
    case YAML::NodeType::Scalar:
      return a.Scalar() == b.Scalar() && a.Tag() == b.Tag();
    case YAML::NodeType::Sequence: {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!same_value(a[i], b[i])) return false;
      }
      return true;
    }
    case YAML::NodeType::Map: {
      if (a.size() != b.size()) return false;
      for (auto it = a.begin(); it != a.end(); ++it) {
        if (!it->first.IsScalar()) return false;
        const YAML::Node other = b[it->first.Scalar()];
        if (!other.IsDefined() || !same_value(it->second, other)) return false;
      }
      return true;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return true;
  }
  return false;
}

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  if (value.front() == ' ' || value.back() == ' ' || value.front() == '\t' || value.back() == '\t')
    return true;
  std::string lower;
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) return true;
    lower += static_cast<char>(std::tolower(c));
  }
  static const char* const kKeywords[] = {"y",     "n",  "yes", "no",   "true",
                                          "false", "on", "off", "null", "~"};
  for (const char* keyword : kKeywords) {
    if (lower == keyword) return true;
  }
  return value.find_first_not_of("0123456789+-.eE_xXoO") == std::string_view::npos;
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
