#pragma once
// The token request as a cURL command, to reproduce outside the browser.
#include "core/http.h"

#include <string>
#include <string_view>

namespace oauth {

inline constexpr std::string_view kMaskedSecret = "********";

// Form fields whose values are secrets, masked unless revealed.
bool IsSecretFormField(std::string_view name);

// Quotes for a POSIX shell: 'text', with each ' written as '\''.
std::string ShellQuote(std::string_view text);

// curl -X POST 'url' -H '...' --data-raw 'body', one option per line. Unless `revealSecrets`,
// the Authorization header's credentials and the values of client_secret, password, code,
// code_verifier, refresh_token and client_assertion are replaced by ********.
std::string ExportCurl(const HttpRequest& request, bool revealSecrets);

} // namespace oauth
