#include "mcp/argument_validator.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <regex>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace stork::mcp {
namespace {

namespace json = boost::json;

// libstdc++'s regex executor recurses once per character, so a long subject can overflow the
// stack; tool arguments with a pattern are short identifiers, and longer ones are refused.
constexpr std::size_t kMaxPatternSubject = 2048;

std::string label(const std::string& path) {
  return path.empty() ? std::string("arguments") : "argument '" + path + "'";
}

std::string member_path(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

std::string kind_name(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "value";
}

bool is_integral(const json::value& value) {
  if (value.is_int64() || value.is_uint64()) return true;
  return value.is_double() && std::isfinite(value.get_double()) &&
         std::trunc(value.get_double()) == value.get_double();
}

bool has_type(const json::value& value, std::string_view type) {
  if (type == "string") return value.is_string();
  if (type == "integer") return is_integral(value);
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_bool();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "null") return value.is_null();
  return true;  // an unknown type name constrains nothing
}

// Numbers compare by value (1 == 1.0), everything else structurally.
bool json_equal(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) {
    if ((a.is_int64() || a.is_uint64()) && (b.is_int64() || b.is_uint64())) return a == b;
    return a.to_number<double>() == b.to_number<double>();
  }
  return a == b;
}

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

class Validator {
 public:
  std::vector<std::string> errors;

  void check(const json::object& schema, const json::value& value, const std::string& path) {
    if (!check_type(schema, value, path)) return;  // other keywords would only add noise
    check_enum_and_const(schema, value, path);
    if (value.is_object()) check_object(schema, value.get_object(), path);
    if (value.is_array()) check_array(schema, value.get_array(), path);
    if (value.is_number()) check_number(schema, value.to_number<double>(), path);
    if (value.is_string()) check_string(schema, value.get_string(), path);
  }

 private:
  bool check_type(const json::object& schema, const json::value& value, const std::string& path) {
    const json::value* type = schema.if_contains("type");
    if (type == nullptr) return true;
    std::vector<std::string_view> names;
    if (type->is_string()) names.push_back(type->get_string());
    if (type->is_array()) {
      for (const auto& name : type->get_array()) {
        if (name.is_string()) names.push_back(name.get_string());
      }
    }
    if (names.empty()) return true;
    for (auto name : names) {
      if (has_type(value, name)) return true;
    }
    std::string expected;
    for (std::size_t i = 0; i < names.size(); ++i) {
      expected += (i == 0 ? "" : " or ") + std::string(names[i]);
    }
    errors.push_back(label(path) + ": expected " + expected + ", got " + kind_name(value));
    return false;
  }

  void check_enum_and_const(const json::object& schema, const json::value& value,
                            const std::string& path) {
    if (const json::value* options = schema.if_contains("enum"); options && options->is_array()) {
      const auto& array = options->get_array();
      bool found = std::any_of(array.begin(), array.end(), [&](const json::value& option) {
        return json_equal(option, value);
      });
      if (!found) {
        std::string allowed;
        for (const auto& option : array) {
          allowed += (allowed.empty() ? "" : ", ") + json::serialize(option);
        }
        errors.push_back(label(path) + ": must be one of " + allowed + ", got " +
                         json::serialize(value));
      }
    }
    if (const json::value* expected = schema.if_contains("const")) {
      if (!json_equal(*expected, value)) {
        errors.push_back(label(path) + ": must be " + json::serialize(*expected) + ", got " +
                         json::serialize(value));
      }
    }
  }

  void check_object(const json::object& schema, const json::object& object,
                    const std::string& path) {
    static const json::object kNoProperties;
    const json::value* properties_value = schema.if_contains("properties");
    const json::object& properties = properties_value && properties_value->is_object()
                                         ? properties_value->get_object()
                                         : kNoProperties;
    if (const json::value* required = schema.if_contains("required");
        required && required->is_array()) {
      for (const auto& name : required->get_array()) {
        if (!name.is_string() || object.contains(name.get_string())) continue;
        std::string message = "argument '" + member_path(path, name.get_string()) + "' is required";
        if (const json::value* property = properties.if_contains(name.get_string());
            property && property->is_object()) {
          if (const json::value* type = property->get_object().if_contains("type")) {
            message +=
                " (" +
                (type->is_string() ? std::string(type->get_string()) : json::serialize(*type)) +
                ")";
          }
        }
        errors.push_back(std::move(message));
      }
    }
    const json::value* additional = schema.if_contains("additionalProperties");
    bool closed = additional && additional->is_bool() && !additional->get_bool();
    for (const auto& [name, member] : object) {
      const json::value* property = properties.if_contains(name);
      if (property && property->is_object()) {
        check(property->get_object(), member, member_path(path, name));
      } else if (closed) {
        errors.push_back("argument '" + member_path(path, name) + "' is not allowed; " +
                         allowed_names(properties));
      }
    }
  }

  static std::string allowed_names(const json::object& properties) {
    if (properties.empty()) return "no arguments are accepted here";
    std::string names;
    for (const auto& [name, property] : properties) {
      names += (names.empty() ? "" : ", ") + std::string(name);
    }
    return "allowed: " + names;
  }

  void check_array(const json::object& schema, const json::array& array, const std::string& path) {
    if (auto limit = number(schema, "minItems");
        limit && static_cast<double>(array.size()) < *limit) {
      errors.push_back(label(path) + ": needs at least " + count(*limit) + " item(s), got " +
                       std::to_string(array.size()));
    }
    if (auto limit = number(schema, "maxItems");
        limit && static_cast<double>(array.size()) > *limit) {
      errors.push_back(label(path) + ": takes at most " + count(*limit) + " item(s), got " +
                       std::to_string(array.size()));
    }
    const json::value* items = schema.if_contains("items");
    if (items == nullptr || !items->is_object()) return;
    for (std::size_t i = 0; i < array.size(); ++i) {
      check(items->get_object(), array[i], path + "[" + std::to_string(i) + "]");
    }
  }

  void check_number(const json::object& schema, double value, const std::string& path) {
    if (auto limit = number(schema, "minimum"); limit && value < *limit) {
      errors.push_back(label(path) + ": must be >= " + format(*limit) + ", got " + format(value));
    }
    if (auto limit = number(schema, "maximum"); limit && value > *limit) {
      errors.push_back(label(path) + ": must be <= " + format(*limit) + ", got " + format(value));
    }
  }

  void check_string(const json::object& schema, std::string_view value, const std::string& path) {
    std::size_t length = code_points(value);
    if (auto limit = number(schema, "minLength"); limit && static_cast<double>(length) < *limit) {
      errors.push_back(label(path) + ": needs at least " + count(*limit) + " character(s), got " +
                       std::to_string(length));
    }
    if (auto limit = number(schema, "maxLength"); limit && static_cast<double>(length) > *limit) {
      errors.push_back(label(path) + ": takes at most " + count(*limit) + " character(s), got " +
                       std::to_string(length));
    }
    const json::value* pattern = schema.if_contains("pattern");
    if (pattern == nullptr || !pattern->is_string()) return;
    std::string source(pattern->get_string());
    if (value.size() > kMaxPatternSubject) {
      errors.push_back(label(path) + ": too long (" + std::to_string(value.size()) +
                       " bytes) to check against the pattern " + source + "; send at most " +
                       std::to_string(kMaxPatternSubject));
      return;
    }
    try {
      std::regex regex(source, std::regex::ECMAScript);
      if (!std::regex_search(value.begin(), value.end(), regex)) {
        errors.push_back(label(path) + ": must match the pattern " + source + ", got " +
                         json::serialize(json::value(value)));
      }
    } catch (const std::regex_error& error) {
      errors.push_back(label(path) + ": the tool's schema has an invalid pattern " + source + " (" +
                       error.what() + ")");
    }
  }

  static std::optional<double> number(const json::object& schema, std::string_view key) {
    const json::value* value = schema.if_contains(key);
    if (value == nullptr || !value->is_number()) return std::nullopt;
    return value->to_number<double>();
  }

  // Whole numbers without the ".0" of a double (limits are written as integers in schemas).
  static std::string format(double value) {
    if (std::abs(value) < 1e15 && std::trunc(value) == value) {
      return std::to_string(static_cast<std::int64_t>(value));
    }
    return json::serialize(json::value(value));
  }
  static std::string count(double value) { return format(value); }
};

}  // namespace

std::vector<std::string> validate_arguments(const json::object& schema, const json::value& args) {
  Validator validator;
  validator.check(schema, args, "");
  return std::move(validator.errors);
}

}  // namespace stork::mcp
