#pragma once
// Token introspection (RFC 7662): ask the authorization server whether a token is active and
// what it carries.
#include "core/detail.h"
#include "core/http.h"
#include "core/profile.h"
#include "core/revocation.h" // kTokenTypeHint* (RFC 7662 section 2.1 uses the same values)
#include "core/token_response.h"
#include "core/transport_failure.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

// RFC 7662 section 2.1: POST to the Introspection URL, form body token and token_type_hint (when
// not empty), authenticated with the client's credentials as at the token endpoint (section 2.1
// leaves the method open; RFC 6749 section 2.3.1); Accept: application/json.
HttpRequest BuildIntrospectionRequest(const Profile& profile, std::string_view token,
                                      std::string_view tokenTypeHint = {});

struct Introspection {
    bool active = false;               // the "active" member (section 2.2)
    nlohmann::json fields;             // the whole JSON object (scope, client_id, sub, exp, ...)
    Details dates;                     // exp, iat, nbf as "2026-11-29 12:00:00 UTC", in that order
    std::string message;               // one sentence, for active, inactive and failure
    std::vector<std::string> warnings; // e.g. a date that is not a number
    std::string rawBody;
    std::optional<EndpointError> error; // set when the answer could not be used
    bool ok() const { return !error.has_value(); }
};

// RFC 7662 section 2.2: a JSON object whose boolean "active" is required; section 2.3: errors
// as in RFC 6749 section 5.2 (described naming the introspection endpoint). `introspectionUrl`
// is used for status 0. Never throws.
Introspection ProcessIntrospectionResponse(const HttpResponse& response,
                                           std::string_view introspectionUrl = {});
// The one answer handler: `fetched` whole, DescribeFetchProblem first.
Introspection ProcessIntrospectionResponse(const FetchResult& fetched, const FetchContext& context);

} // namespace oauth
