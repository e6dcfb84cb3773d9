#include "core/token_request.h"

#include "core/authenticated_request.h"
#include "core/resource_indicators.h"

namespace oauth {

HttpRequest BuildRefreshTokenRequest(const Profile& profile, std::string_view refreshToken) {
    FormParams params = {
        {"grant_type", "refresh_token"},
        {"refresh_token", std::string(refreshToken)},
    };
    // RFC 8707 section 2.2: a refreshed access token for the same resource (or audience).
    AppendResourceAndAudience(profile, params);
    return BuildAuthenticatedPost(profile, profile.accessTokenUrl, std::move(params));
}

} // namespace oauth
