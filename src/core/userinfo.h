#pragma once
// The UserInfo endpoint, OpenID Connect Core 1.0 section 5.3: a GET with the access token as a
// Bearer credential (RFC 6750 section 2.1); the answer is the claims about the signed-in user as a
// JSON object (a signed or encrypted JWT answer, section 5.3.2, is only reported).
#include "core/endpoint_error.h"
#include "core/http.h"
#include "core/transport_failure.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace oauth {

// A GET: never through this page's relay (it forwards POSTs).
inline constexpr Endpoint kUserinfoEndpoint = {"UserInfo endpoint", "userinfo_endpoint", false};

// A DPoP token (`tokenType` DPoP, RFC 9449 section 7.1) goes as Authorization: DPoP, with a proof
// whose ath binds it to the token (HttpRequest::dpop; the Fetcher makes it).
HttpRequest BuildUserinfoRequest(std::string_view userinfoUrl, std::string_view accessToken,
                                 std::string_view tokenType = "Bearer");

struct Userinfo {
    nlohmann::json claims; // the JSON object as sent
    std::string message;   // one sentence about the answer
    std::optional<EndpointError> error;
    bool ok() const { return !error; }
};

// Reads the answer through the one answer handler. `idTokenSub`, when not empty, is the ID
// token's sub: section 5.3.2 says the UserInfo sub MUST equal it, or the claims MUST NOT be used.
Userinfo ProcessUserinfoResponse(const FetchResult& fetched, const FetchContext& context,
                                 std::string_view idTokenSub = {});

} // namespace oauth
