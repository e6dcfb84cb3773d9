#include "core/scopes.h"
#include "core/token_request.h"

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
    return MakeTokenRequest(profile, std::move(params));
}

} // namespace oauth
