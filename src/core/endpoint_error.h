#pragma once
// Errors from the endpoints other than the token endpoint that answer in the RFC 6749 section 5.2
// error format: device authorization (RFC 8628 section 3.2), revocation (RFC 7009 section
// 2.2.1), introspection (RFC 7662 section 2.3). They are described by ProcessTokenResponse's own
// rules (one sentence + details, Entra and LinkedIn variants, HTML bodies, CORS), with the
// endpoint and its form field named instead of the token endpoint.
#include "core/http.h"
#include "core/token_response.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace oauth {

struct EndpointNames {
    std::string_view endpoint; // "device authorization endpoint": replaces "token endpoint"
    std::string_view urlLabel; // "Device Authorization URL": replaces "Access Token URL"
};

// Describes a response that is not the endpoint's success answer (any status, 0 included: no
// answer or CORS, as DescribeTransportFailure does). `url` is what was called.
TokenError DescribeEndpointError(const HttpResponse& response, std::string_view url, EndpointNames names);

// A number of seconds as providers send it: a non-negative JSON number, or a string of digits
// (RFC 8628 and RFC 6749 say number; some send "1800"). nullopt otherwise. Never throws.
std::optional<std::int64_t> ReadSeconds(const nlohmann::json& value);

} // namespace oauth
