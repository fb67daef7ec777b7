// yaml-cpp helpers for ItemDocument (private to work/): checking that a front matter is exactly
// one YAML document, comparing values deeply, and emitting values so that they read back the
// same (quoted strings stay quoted). Separate from item_document.cpp so that file stays about
// the document, not about yaml-cpp's corners.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace stork::work_detail {

// Why `yaml` is not a single readable document, or nullopt when it is. yaml-cpp's Load()
// silently keeps only the first of several documents and reads some garbage as "nothing";
// both would make a later edit drop text, so they are refused up front.
struct YamlShapeProblem {
  int line = 0;    // 0-based within `yaml`
  int column = 0;  // 0-based
  std::string message;
};
std::optional<YamlShapeProblem> check_single_document(const std::string& yaml);

// YAML text must be UTF-8 without control characters other than tab, CR and LF (YAML 1.2
// "printable"); yaml-cpp accepts more, and such values could not be written back faithfully.
std::optional<YamlShapeProblem> check_text(std::string_view yaml);

// Refuses values a later edit could not handle safely: nesting deeper than 32, aliases that
// refer to themselves or expand past 20,000 values, and a key appearing twice in one mapping
// (which YAML forbids and yaml-cpp accepts).
std::optional<YamlShapeProblem> check_structure(const YAML::Node& root);

// Deep equality of values as a reader sees them: scalars by text and tag (plain, quoted or an
// explicit tag: a quoted "12" is a string, a plain 12 a number), maps by key, sequences in order.
bool same_value(const YAML::Node& a, const YAML::Node& b);

// `value` made storable in front matter: invalid UTF-8 and control characters other than tab,
// CR and LF (which check_text refuses on reading) become U+FFFD.
std::string printable_text(std::string_view value);

// True when a string must be double-quoted to read back as the same string: YAML 1.1 keywords,
// numbers, empty text, control characters, surrounding blanks.
bool needs_quotes(std::string_view value);

// Writes `node` to `out` keeping quoted scalars quoted, explicit tags, and flow/block styles.
void emit_value(YAML::Emitter& out, const YAML::Node& node);

}  // namespace stork::work_detail
