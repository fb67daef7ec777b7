// Checks tool arguments against the subset of JSON Schema that tool input schemas use, so a
// handler can rely on the shape it declared and the model gets a message it can act on.
#pragma once

#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace stork::mcp {

// Validates `args` against `schema`. Supported keywords: type (a name or an array of names;
// "integer" accepts numbers without a fraction), properties, required, additionalProperties
// (bool), enum, const, items (one schema), minItems/maxItems, minimum/maximum,
// minLength/maxLength (in code points), pattern (std::regex ECMAScript, searched anywhere in
// the string, as JSON Schema does); description, title, default and unknown keywords are
// ignored. Returns one message per problem, each naming the argument path:
//   "argument 'story_id': expected string, got number"
//   "argument 'labels[2]': expected string, got boolean"
// Empty when `args` is valid.
std::vector<std::string> validate_arguments(const boost::json::object& schema,
                                            const boost::json::value& args);

}  // namespace stork::mcp
