#include "core/token_request.h"

namespace oauth {

HttpRequest BuildRefreshTokenRequest(const Profile& profile, std::string_view refreshToken) {
    return MakeTokenRequest(profile, {
                                         {"grant_type", "refresh_token"},
                                         {"refresh_token", std::string(refreshToken)},
                                     });
}

} // namespace oauth
