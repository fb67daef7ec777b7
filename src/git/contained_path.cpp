#include "git/contained_path.hpp"

namespace stork {

bool lies_within(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto relative = path.lexically_relative(root);
  if (relative.empty()) return false;  // different roots altogether
  auto first = relative.begin();
  return first == relative.end() || *first != "..";
}

std::optional<std::filesystem::path> resolve_inside(const std::filesystem::path& root,
                                                    const std::filesystem::path& relative) {
  if (relative.is_absolute() || relative.has_root_name()) return std::nullopt;
  std::error_code error;
  auto real_root = std::filesystem::weakly_canonical(root, error);
  if (error) return std::nullopt;
  auto real = std::filesystem::weakly_canonical(real_root / relative, error);
  if (error || !lies_within(real, real_root)) return std::nullopt;
  return real;
}

}  // namespace stork
