#pragma once
// Pushed authorization requests (RFC 9126): the authorization request's parameters go to the
// provider in an authenticated POST first (section 2.1), and the browser then opens the
// authorization endpoint with only client_id and the request_uri it answered (section 4).
#include "core/discovery.h"
#include "core/encoding.h"
#include "core/endpoint_error.h"
#include "core/http.h"
#include "core/profile.h"
#include "core/transport_failure.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oauth {

inline constexpr Endpoint kPushedAuthorizationEndpoint = {"pushed authorization request endpoint",
                                                          "pushed_authorization_request_endpoint"};

// Whether the authorization request of `profile` is pushed, from the metadata discovered for it
// (nullptr: none this session). RFC 9126 section 5: with require_pushed_authorization_requests the
// provider accepts no other, so it is pushed whether Use PAR is ticked or not.
struct ParDecision {
    bool use = false;
    bool required = false;
    bool offered = false; // the metadata names a pushed_authorization_request_endpoint
    std::string endpoint; // pushed_authorization_request_endpoint, when used
    std::string refusal;  // Use PAR is ticked but cannot be: why (nothing is sent then)
    std::string note;     // what the form says under Use PAR ("" for nothing)
};
ParDecision DecidePar(const Profile& profile, const DiscoveryMetadata* metadata);

// RFC 9126 section 6: a client can be registered with require_pushed_authorization_requests, which
// no server metadata shows, and its unpushed requests are refused with invalid_request. The
// sentence added to such a refusal of a request that was not pushed although the provider offers
// PAR; empty otherwise.
std::string DescribeUnpushedRefusal(const ParDecision& par, std::string_view callbackError);

// RFC 9126 section 2.1: the authorization request's parameters (`authorizationParams`, as
// BuildAuthorizationRequest made them) as a form POST to `endpoint`, client-authenticated as a token
// request is (BuildAuthenticatedPost). client_id stays for Basic authentication (the section's
// example); the other methods send it themselves.
HttpRequest BuildPushedAuthorizationRequest(const Profile& profile, std::string_view endpoint,
                                            const FormParams& authorizationParams);

struct PushedAuthorization {
    std::string requestUri;
    std::int64_t expiresIn = 0;
    std::optional<EndpointError> error;
    bool ok() const { return !error; }
};

// RFC 9126 section 2.2: 201 Created with request_uri and expires_in; section 2.3: an RFC 6749
// error object. Read through the one answer handler; any other status is an error too.
PushedAuthorization ProcessPushedAuthorizationResponse(const FetchResult& fetched,
                                                       const FetchContext& context);

// RFC 9126 section 4: the URL the popup opens after the push.
std::string PushedAuthorizationUrl(std::string_view authorizationUrl, std::string_view clientId,
                                   std::string_view requestUri);

} // namespace oauth
