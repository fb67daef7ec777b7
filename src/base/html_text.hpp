// HTML text for messages that carry an HTML form beside the plain one (Matrix `formatted_body`):
// the five markup characters escaped and newlines as <br>, so any item text is shown as typed.
#pragma once

#include <string>
#include <string_view>

namespace stork {

std::string html_escape(std::string_view text);

}  // namespace stork
