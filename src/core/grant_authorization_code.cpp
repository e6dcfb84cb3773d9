#include "core/token_request.h"

#include "core/authenticated_request.h"
#include "core/resource_indicators.h"

namespace oauth {

HttpRequest BuildAuthorizationCodeTokenRequest(const Profile& profile, std::string_view code,
                                               std::string_view codeVerifier) {
    // RFC 6749 section 4.1.3: redirect_uri is required because the authorization request sent it.
    FormParams params = {
        {"grant_type", "authorization_code"},
        {"code", std::string(code)},
        {"redirect_uri", profile.redirectUrl},
        {"code_verifier", std::string(codeVerifier)},
    };
    // RFC 8707 section 2.2: the resource the access token is for, among those granted.
    AppendResourceAndAudience(profile, params);
    return BuildAuthenticatedPost(profile, profile.accessTokenUrl, std::move(params));
}

} // namespace oauth
