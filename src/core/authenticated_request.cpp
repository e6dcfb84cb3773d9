#include "core/authenticated_request.h"

#include "core/client_assertion.h"
#include "core/client_authentication.h"
#include "core/dpop.h"

namespace oauth {
namespace {

// How the page sent the credentials, and the registration a server refuses the same way.
std::string CredentialsSent(const Profile& profile) {
    if (IsPublicClient(profile))
        return "it sent the Client ID alone (no Client Secret), and a provider may refuse a client "
               "without credentials there.";
    if (profile.clientAuthentication == ClientAuthentication::BasicHeader)
        return "it sent the Client ID and Client Secret in an Authorization: Basic header "
               "(client_secret_basic), so a client registered for client_secret_post is refused the same "
               "way.";
    return "it sent the Client ID and Client Secret in the request body (client_secret_post), so a client "
           "registered for client_secret_basic is refused the same way.";
}

} // namespace

HttpRequest BuildAuthenticatedPost(const Profile& profile, std::string_view url, FormParams params) {
    HttpRequest request;
    request.method = "POST";
    request.url = std::string(url);
    request.headers = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Accept", "application/json"},
    };
    // A client assertion (RFC 7523 section 2.2) is planned here and signed by the Fetcher just
    // before sending; so is a DPoP proof (RFC 9449 section 4), one more header.
    ApplyClientAuthentication(profile, request.headers, params);
    request.body = EncodeForm(params);
    if (UsesClientAssertion(profile) && !IsPublicClient(profile))
        request.assertion = PlanClientAssertion(profile);
    if (SendsDpopProof(profile, url))
        request.dpop = PendingDpop{};
    return request;
}

HttpRequest BuildTokenPost(const Profile& profile, std::string_view url, std::string_view token,
                           std::string_view tokenTypeHint) {
    FormParams params = {{"token", std::string(token)}};
    if (!tokenTypeHint.empty())
        params.emplace_back("token_type_hint", std::string(tokenTypeHint));
    return BuildAuthenticatedPost(profile, url, std::move(params));
}

std::string DescribeClientRefusal(const Profile& profile, Endpoint endpoint) {
    std::string section;
    if (endpoint.name == kRevocationEndpoint.name)
        section = "RFC 7009 section 2.1";
    else if (endpoint.name == kIntrospectionEndpoint.name)
        section = "RFC 7662 section 2.1";
    else
        return {};
    const std::string start = "This page authenticates to the " + std::string(endpoint.name) +
                              " as to the token endpoint (" + section + ")";
    if (UsesClientAssertion(profile) && !IsPublicClient(profile))
        return start + ". " + DescribeAssertionRefusal(profile);
    return start + ": " + CredentialsSent(profile);
}

std::string ClientRefusalMessage(const Profile& profile, const EndpointError& error) {
    if (error.code != "invalid_client")
        return error.message;
    const std::string more = DescribeClientRefusal(profile, error.endpoint);
    return more.empty() ? error.message : error.message + " " + more;
}

} // namespace oauth
