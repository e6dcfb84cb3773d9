#pragma once
// Token revocation (RFC 7009): tell the authorization server a token is no longer needed.
#include "core/http.h"
#include "core/profile.h"
#include "core/token_response.h"
#include "core/transport_failure.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

// token_type_hint values (RFC 7009 section 2.1, also used by RFC 7662 section 2.1).
inline constexpr std::string_view kTokenTypeHintAccessToken = "access_token";
inline constexpr std::string_view kTokenTypeHintRefreshToken = "refresh_token";

// RFC 7009 section 2.1: POST to the Revocation URL, form body token and token_type_hint (when
// not empty), with the client authentication of the token endpoint (RFC 6749 section 2.3.1);
// Accept: application/json (for error bodies).
HttpRequest BuildRevocationRequest(const Profile& profile, std::string_view token,
                                   std::string_view tokenTypeHint = {});

struct RevocationResult {
    bool revoked = false;
    std::string message;                           // one sentence, for success and failure
    std::vector<std::string> warnings;             // e.g. a 2xx other than 200
    std::optional<std::int64_t> retryAfterSeconds; // 503 with Retry-After in seconds
    std::optional<EndpointError> error;            // set when not revoked
    bool ok() const { return revoked; }
};

// RFC 7009 section 2.2: HTTP 200 means revoked (or the token was already invalid), whatever the
// body, which may be empty. Section 2.2.1: errors as in RFC 6749 section 5.2 plus
// unsupported_token_type; 503 asks to retry, after Retry-After when sent. `revocationUrl` is
// used for status 0. Never throws.
RevocationResult ProcessRevocationResponse(const HttpResponse& response, std::string_view revocationUrl = {});
// The one answer handler: `fetched` whole, DescribeFetchProblem first.
RevocationResult ProcessRevocationResponse(const FetchResult& fetched, const FetchContext& context);

} // namespace oauth
