#include "core/token_request.h"

#include "core/authenticated_request.h"

namespace oauth {

HttpRequest BuildAuthorizationCodeTokenRequest(const Profile& profile, std::string_view code,
                                               std::string_view codeVerifier) {
    // RFC 6749 section 4.1.3: redirect_uri is required because the authorization request sent it.
    return BuildAuthenticatedPost(profile, profile.accessTokenUrl,
                                  {
                                      {"grant_type", "authorization_code"},
                                      {"code", std::string(code)},
                                      {"redirect_uri", profile.redirectUrl},
                                      {"code_verifier", std::string(codeVerifier)},
                                  });
}

} // namespace oauth
