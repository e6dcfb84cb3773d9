#include "core/logout.h"

#include "core/encoding.h"
#include "core/url.h"

namespace oauth {

std::string BuildLogoutUrl(std::string_view endSessionEndpoint, std::string_view idToken,
                           std::string_view postLogoutRedirectUri, std::string_view clientId,
                           std::string_view state) {
    return AppendQuery(endSessionEndpoint,
                       EncodeForm({
                           {"id_token_hint", std::string(idToken)},
                           {"post_logout_redirect_uri", std::string(postLogoutRedirectUri)},
                           {"client_id", std::string(clientId)},
                           {"state", std::string(state)},
                       }));
}

} // namespace oauth
