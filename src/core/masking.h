#pragma once
// What a person may see of a request or a response without leaking a secret: one list of secret
// names and one mask, shared by the exchange log and the cURL export. Unless revealed, the
// Authorization header keeps its scheme ("Basic ********"), form fields, URL parameters and token
// response members named as secrets show ********, and everything else stays byte-identical.
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

// Token response members whose values are secrets: access_token, refresh_token, id_token
// (RFC 6749 5.1, OpenID Connect Core 3.1.3.3) and device_code (RFC 8628 3.2).
bool IsSecretResponseField(std::string_view name);

// "Basic abc" -> "Basic ********"; a value without a scheme becomes "********".
std::string MaskAuthorizationValue(std::string_view value);

// "a=1&code=xyz" -> "a=1&code=********": secret values masked, every other byte kept.
std::string MaskFormBody(std::string_view body);

// Masks secret parameters in the URL's query and fragment (a callback may carry the code in
// either, RFC 6749 4.1.2; a misdirected implicit answer carries access_token in the fragment).
std::string MaskUrlForDisplay(std::string_view url, bool reveal);

// The request with the Authorization header, the URL and the body masked. A body that is a JSON
// object has its secret members masked; any other body is read as a form.
HttpRequest MaskRequestForDisplay(const HttpRequest& request, bool reveal);

// In a JSON object body, the string values of access_token, refresh_token, id_token and
// device_code (top level) become "********", with the text's own layout kept. Bodies that are not
// a JSON object are returned as they are.
std::string MaskResponseBodyForDisplay(std::string_view body, bool reveal);

// The response with its body masked as above; headers are kept.
HttpResponse MaskResponseForDisplay(const HttpResponse& response, bool reveal);

} // namespace oauth
