#include "core/authenticated_request.h"

#include "core/client_assertion.h"
#include "core/client_authentication.h"
#include "core/dpop.h"

namespace oauth {

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

} // namespace oauth
