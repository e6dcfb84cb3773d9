#pragma once
// The token request as a cURL command, to reproduce outside the browser.
#include "core/http.h"
#include "core/masking.h" // kMaskedSecret, IsSecretFormField: the one list of secret names

#include <string>
#include <string_view>

namespace oauth {

// Quotes for a POSIX shell: 'text', with each ' written as '\''.
std::string ShellQuote(std::string_view text);

// curl -X POST 'url' -H '...' --data-raw 'body', one option per line. Unless `revealSecrets`,
// the request is masked by MaskRequestForDisplay (masking.h): the Authorization header's
// credentials and the values of secret parameters (client_secret, password, code, code_verifier,
// refresh_token, client_assertion, ...) in the body and the URL are replaced by ********.
std::string ExportCurl(const HttpRequest& request, bool revealSecrets);

} // namespace oauth
