#pragma once
// Step 1 of the authorization code grant: the URL the browser opens (RFC 6749 section 4.1.1,
// PKCE per RFC 7636 section 4.3).
#include "core/encoding.h"
#include "core/pkce.h"
#include "core/profile.h"
#include "core/validation.h"

#include <string>
#include <string_view>
#include <vector>

namespace oauth {

// Parameters the page sets itself in the authorization request; nobody may override them.
inline constexpr std::string_view kAuthorizationProtocolParams[] = {
    "response_type", "client_id",      "redirect_uri",         "scope",
    "state",         "code_challenge", "code_challenge_method"};

struct ParsedAuthUrlParams {
    FormParams params;               // plain text, encoded when the URL is built
    std::vector<std::string> errors; // one sentence each
};

// Reads "Auth. URL Params" as typed: key=value pairs separated by '&' or new lines, surrounding
// spaces trimmed, values taken as plain text (they are encoded later). A pair without '=' or
// without a key, or a key that is a protocol parameter, is reported, never silently dropped.
ParsedAuthUrlParams ParseAuthUrlParams(std::string_view typed);

struct AuthorizationRequest {
    std::string url;          // open this in the browser
    std::string state;        // keep it to check the callback (RFC 6749 section 10.12)
    std::string codeVerifier; // keep it for the token request (RFC 7636 section 4.5)
    std::string nonce;        // with the openid scope: keep it to check the id_token (jwt.h)
    FormParams params;        // the parameters in `url`'s query that the page added (for PAR, RFC 9126)
    std::vector<FieldError> errors;
    bool ok() const { return errors.empty(); }
};

// RFC 6749 section 4.1.1 + RFC 7636 section 4.3: response_type=code, client_id, redirect_uri,
// scope (space-separated, section 3.3), state and code_challenge (S256), then the Auth. URL
// Params; resource and audience (RFC 8707 section 2.1) before those. A query already in the Authorization URL
// is kept; if it already sets a protocol parameter, that is an error. With "openid" among the scopes, a fresh
// random `nonce` is sent too (OpenID Connect Core 1.0 section 3.1.2.1; required there for implicit flows, and
// the defence against a replayed ID token for the code flow, section 15.5.2). `random` must be a CSPRNG;
// without one, nothing is built. `dpopJkt`, when set, is sent as dpop_jkt: the code is then bound to that
// DPoP key's thumbprint (RFC 9449 section 10).
AuthorizationRequest BuildAuthorizationRequest(const Profile& profile, const RandomSource& random,
                                               std::string_view dpopJkt = {});

} // namespace oauth
