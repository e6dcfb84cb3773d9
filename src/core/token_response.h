#pragma once
// The token endpoint's answer (RFC 6749 section 5.1 success, section 5.2 error), turned into
// either the token fields or one clear sentence plus details. Known provider variants: Microsoft
// Entra ID (AADSTS descriptions, error_codes, trace_id), Amazon Cognito (bare {"error":...}),
// LinkedIn (error_description, or message/serviceErrorCode), 2xx bodies that carry "error",
// HTML or other non-JSON bodies, empty bodies, success without access_token.
#include "core/detail.h"
#include "core/endpoint_error.h"
#include "core/http.h"
#include "core/transport_failure.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

struct TokenSuccess {
    std::string accessToken;
    std::string tokenType;
    std::optional<std::int64_t> expiresIn; // seconds; a number or a numeric string in the body
    std::string refreshToken;
    std::string scope;
    std::string idToken;
    Details otherFields;               // every other member: strings as is, other values as JSON
    std::vector<std::string> warnings; // deviations worth showing (missing token_type, ...)
    nlohmann::json fields;             // the whole JSON object, e.g. to keep as Profile::lastToken
    std::string rawBody;
};

struct TokenResponse {
    std::optional<TokenSuccess> success;
    std::optional<EndpointError> error;
    bool ok() const { return success.has_value(); }
};

// RFC 6749 sections 5.1 and 5.2: errors are EndpointErrors of kTokenEndpoint (ReadErrorAnswer).
// A status of 0 (no HTTP answer) is described with DescribeTransportFailure(tokenUrl). Never throws.
// The one answer handler: `fetched` whole (status 0 and the relay's own answers go through
// DescribeFetchProblem first).
TokenResponse ProcessTokenResponse(const FetchResult& fetched, const FetchContext& context);
TokenResponse ProcessTokenResponse(const HttpResponse& response, std::string_view tokenUrl = {});

} // namespace oauth
