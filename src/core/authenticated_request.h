#pragma once
// The one client-authenticated request: every call the client makes to the authorization server
// with its own credentials (token, refresh, device authorization, revocation, introspection) is a
// form POST to an endpoint, authenticated the same way, in the manner of oauth4webapi's
// authenticatedRequest. Client assertions (RFC 7523, private_key_jwt / client_secret_jwt) and DPoP
// proofs (RFC 9449) belong in BuildAuthenticatedPost, whatever the endpoint.
#include "core/encoding.h"
#include "core/endpoint_error.h"
#include "core/http.h"
#include "core/profile.h"

#include <string_view>

namespace oauth {

// POST `url` with an application/x-www-form-urlencoded body of `params` and Accept:
// application/json (RFC 6749 section 3.2; error bodies are JSON too, section 5.2), authenticated by
// the profile's client authentication (RFC 6749 section 2.3.1, ApplyClientAuthentication): Basic
// (form-encoded, or as typed with basicUnencoded), client_id and client_secret in the body, or
// client_id alone for a public client. Does not validate: call ValidateProfile first.
HttpRequest BuildAuthenticatedPost(const Profile& profile, std::string_view url, FormParams params);

// The authenticated POST about one token that revocation (RFC 7009 section 2.1) and introspection
// (RFC 7662 section 2.1) share: `token`, and `token_type_hint` unless it is empty.
HttpRequest BuildTokenPost(const Profile& profile, std::string_view url, std::string_view token,
                           std::string_view tokenTypeHint);

// What to check after `endpoint` (revocation or introspection) answered invalid_client: it
// authenticates the client as the token endpoint does (RFC 7009 section 2.1, RFC 7662 section
// 2.1), and providers answer the same "client authentication failed" to a wrong secret and to a
// method other than the registered one, so the sentence says how the page sent the credentials.
// `profile` is the profile as the request was built from it. Empty for other endpoints.
std::string DescribeClientRefusal(const Profile& profile, Endpoint endpoint);

// The sentence shown for a revocation or introspection error: `error.message`, followed by
// DescribeClientRefusal for invalid_client.
std::string ClientRefusalMessage(const Profile& profile, const EndpointError& error);

} // namespace oauth
