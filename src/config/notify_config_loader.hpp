// Reads the notification settings of project.toml: the `[[notify]]` channels and `[server]
// public_url` (docs/notifications.md). Private to config/: the loader calls it once; every
// problem becomes a Diagnostic at the offending key's line.
#pragma once

#include <string>
#include <vector>

#include "config/chat_config.hpp"
#include "config/diagnostic.hpp"
#include "config/project_config.hpp"

namespace stork::config_detail {

class TableReader;

void read_notify_settings(TableReader& root, const std::string& file, std::vector<Diagnostic>& out,
                          ProjectConfig& config);

// A `kind = "matrix"` channel needs [chat.matrix] with rooms (read after both tables). Its
// delivery reads them from the channel's own fields: `url` = the homeserver, `to` = the rooms,
// `user_env` = the access token's variable (notify/matrix_delivery.hpp).
void check_matrix_channels(ProjectConfig& config,
                           const std::optional<MatrixChatConfig>& chat_matrix,
                           const std::string& file, std::vector<Diagnostic>& out);

// True for "http://..." and "https://..." with something after the scheme.
bool is_http_url(std::string_view url);

}  // namespace stork::config_detail
