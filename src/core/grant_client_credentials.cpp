#include "core/token_request.h"

#include "core/authenticated_request.h"
#include "core/resource_indicators.h"

namespace oauth {

HttpRequest BuildClientCredentialsTokenRequest(const Profile& profile) {
    FormParams params = {{"grant_type", "client_credentials"}};
    AppendScopeAndTargets(profile, params); // RFC 8707 section 2.2: resource and audience after scope
    return BuildAuthenticatedPost(profile, profile.accessTokenUrl, std::move(params));
}

} // namespace oauth
