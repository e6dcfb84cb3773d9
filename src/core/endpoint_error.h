#pragma once
// One error model for every endpoint the page calls: the token endpoint (RFC 6749 section 5.2),
// device authorization (RFC 8628 section 3.2), revocation (RFC 7009 section 2.2.1) and
// introspection (RFC 7662 section 2.3) all answer in RFC 6749 section 5.2's error format. An
// EndpointError is built for one endpoint and its sentence is worded once, from the endpoint's
// name: nothing rewrites it afterwards, so the provider's own words are quoted as they came.
#include "core/detail.h"
#include "core/http.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oauth {

// An endpoint as sentences name it.
struct Endpoint {
    std::string_view name;     // "token endpoint": "The token endpoint answered ..."
    std::string_view urlLabel; // "Access Token URL": the form field that holds its URL
    bool relayable = true;     // may go through this page's CORS relay (discovery never does)
};

inline constexpr Endpoint kTokenEndpoint = {"token endpoint", "Access Token URL"};
inline constexpr Endpoint kDeviceAuthorizationEndpoint = {"device authorization endpoint",
                                                          "Device Authorization URL"};
inline constexpr Endpoint kRevocationEndpoint = {"revocation endpoint", "Revocation URL"};
inline constexpr Endpoint kIntrospectionEndpoint = {"introspection endpoint", "Introspection URL"};
inline constexpr Endpoint kDiscoveryEndpoint = {"discovery endpoint", "Issuer / discovery URL", false};
inline constexpr Endpoint kAuthorizationEndpoint = {"authorization endpoint", "Authorization URL"};

struct EndpointError {
    Endpoint endpoint = kTokenEndpoint;
    // Short code: the OAuth "error" value when there is one, otherwise one of empty_body,
    // html_body, not_json, not_json_object, too_deep, http_error, missing_access_token, or a
    // transport code (network_or_cors, no_answer, cors, timeout, relay_*).
    std::string code;
    std::string description; // the provider's error_description (or message), exactly as sent
    std::string uri;         // the provider's error_uri
    int status = 0;          // HTTP status; 0 when no answer reached the page
    std::string message;     // one sentence, worded once when the error is built
    Details details;         // what the person can read next to it (masked where secret)
    std::string rawBody;
};

// An error the step itself found in an answer (a required member missing, ...): `message` as
// given, the HTTP status as the first detail.
EndpointError MakeEndpointError(const HttpResponse& response, Endpoint endpoint, std::string code,
                                std::string message);

// Reads an answer that reached the page (status not 0) as an error of `endpoint`, when it is
// one: an empty body, JSON nested too deep, a body that is not JSON (HTML or other), JSON that
// is not an object, an RFC 6749 section 5.2 error object (whatever the status), or a non-2xx
// object without "error" (LinkedIn's {"message": ...}). nullopt for a 2xx JSON object without
// "error": the endpoint's own answer, which `body` (when given) then holds. Never throws.
std::optional<EndpointError> ReadErrorAnswer(const HttpResponse& response, Endpoint endpoint,
                                             nlohmann::json* body = nullptr);

// Describes a response that is not the endpoint's success answer (any status, 0 included: no
// answer or CORS, as DescribeTransportFailure does). `url` is what was called.
EndpointError DescribeEndpointError(const HttpResponse& response, std::string_view url, Endpoint endpoint);

// A number of seconds as providers send it: a non-negative JSON number, or a string of digits
// (RFC 8628 and RFC 6749 say number; some send "1800"). nullopt otherwise. Never throws.
std::optional<std::int64_t> ReadSeconds(const nlohmann::json& value);

} // namespace oauth
