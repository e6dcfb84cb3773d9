#include "core/token_request.h"

#include "core/authenticated_request.h"

namespace oauth {

HttpRequest BuildRefreshTokenRequest(const Profile& profile, std::string_view refreshToken) {
    return BuildAuthenticatedPost(profile, profile.accessTokenUrl,
                                  {
                                      {"grant_type", "refresh_token"},
                                      {"refresh_token", std::string(refreshToken)},
                                  });
}

} // namespace oauth
