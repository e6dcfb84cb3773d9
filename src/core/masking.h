#pragma once
// What a person may see of a request or a response without leaking a secret: one list of secret
// names and one mask, shared by the exchange log and the cURL export. Unless revealed, the
// Authorization header keeps its scheme ("Basic ********"), form fields, URL parameters and token
// response members named as secrets show ********, and everything else stays byte-identical.
// The mask is always the same eight characters, whatever the secret's length, so a masked view
// tells nothing about the secret but that it is there.
#include "core/http.h"

#include <string>
#include <string_view>

namespace oauth {

inline constexpr std::string_view kMaskedSecret = "********";

// Request parameter names whose values are secrets (form bodies, URL queries and fragments):
// client_secret (RFC 6749 2.3.1), password (4.3.2), code (4.1.3), code_verifier (RFC 7636 4.5),
// refresh_token (RFC 6749 6), device_code (RFC 8628 3.4), token (RFC 7009 2.1, RFC 7662 2.1),
// client_assertion and assertion (RFC 7521 4.2, 4.1), access_token (RFC 6750 2.2, 2.3) and
// id_token. state and code_challenge are not secrets and stay readable.
bool IsSecretFormField(std::string_view name);

// Answer members whose values are secrets: access_token, refresh_token, id_token (RFC 6749 5.1,
// OpenID Connect Core 3.1.3.3), device_code (RFC 8628 3.2), client_secret (RFC 7591 3.2.1) and
// what a gateway may echo of the request: password, code_verifier, client_assertion, assertion.
// Not code or token: answers use those names for error codes and token types.
bool IsSecretResponseField(std::string_view name);

// "Basic abc" -> "Basic ********"; a value without a scheme becomes "********".
std::string MaskAuthorizationValue(std::string_view value);

// "a=1&code=xyz" -> "a=1&code=********": secret values masked, every other byte kept.
std::string MaskFormBody(std::string_view body);

// Masks secret parameters in the URL's query and fragment (a callback may carry the code in
// either, RFC 6749 4.1.2; a misdirected implicit answer carries access_token in the fragment).
std::string MaskUrlForDisplay(std::string_view url, bool reveal);

// The request with the Authorization header, the URL and the body masked. A body that is JSON
// has its IsSecretFormField members masked at any depth, a form its secret fields; any other
// body is masked as free text (see MaskResponseBodyForDisplay).
HttpRequest MaskRequestForDisplay(const HttpRequest& request, bool reveal);

// An answer's body as the log shows it, with the text's own layout kept:
// - JSON (object or array): the string values of IsSecretResponseField members, at any depth,
//   become "********"; "name=value" pieces with an IsSecretFormField name inside other strings
//   (a URL in a description) are masked too;
// - a form ("access_token=...&scope=...", as some providers answer): IsSecretFormField values;
// - anything else (HTML, a cut or broken JSON such as an error's "Body (start)", text nested
//   too deep to parse): "name=value" and "name": "value" with a secret name of either list.
std::string MaskResponseBodyForDisplay(std::string_view body, bool reveal);

// A detail's value as shown next to its name: "********" when the name is a secret of either
// list, otherwise the value masked as a body (MaskResponseBodyForDisplay).
std::string MaskDetailForDisplay(std::string_view name, std::string_view value);

// The response with its body masked as above; headers are kept.
HttpResponse MaskResponseForDisplay(const HttpResponse& response, bool reveal);

} // namespace oauth
