#include "core/scopes.h"
#include "core/token_request.h"

namespace oauth {

HttpRequest BuildClientCredentialsTokenRequest(const Profile& profile) {
    FormParams params = {{"grant_type", "client_credentials"}};
    const std::string scope = NormalizeScopes(profile.scopes);
    if (!scope.empty())
        params.emplace_back("scope", scope);
    return MakeTokenRequest(profile, std::move(params));
}

} // namespace oauth
