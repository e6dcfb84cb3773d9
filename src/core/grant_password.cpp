#include "core/token_request.h"

#include "core/authenticated_request.h"
#include "core/resource_indicators.h"
#include "core/scopes.h"

namespace oauth {

HttpRequest BuildPasswordTokenRequest(const Profile& profile) {
    FormParams params = {
        {"grant_type", "password"},
        {"username", profile.username},
        {"password", profile.password},
    };
    const std::string scope = NormalizeScopes(profile.scopes);
    if (!scope.empty())
        params.emplace_back("scope", scope);
    AppendResourceAndAudience(profile, params); // RFC 8707 section 2.2
    return BuildAuthenticatedPost(profile, profile.accessTokenUrl, std::move(params));
}

} // namespace oauth
