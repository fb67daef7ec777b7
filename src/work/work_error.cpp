#include "work/work_error.hpp"

namespace stork {

std::string WorkError::render() const {
  if (path.empty() || line == 0) return message;
  std::string where = path.string() + ":" + std::to_string(line);
  if (column > 0) where += ":" + std::to_string(column);
  return where + ": " + message;
}

}  // namespace stork
