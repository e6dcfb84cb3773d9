#include "core/token_request.h"

#include "core/client_authentication.h"

namespace oauth {

HttpRequest MakeTokenRequest(const Profile& profile, FormParams grantParams) {
    HttpRequest request;
    request.method = "POST";
    request.url = profile.accessTokenUrl;
    request.headers = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Accept", "application/json"},
    };
    ApplyClientAuthentication(profile, request.headers, grantParams);
    request.body = EncodeForm(grantParams);
    return request;
}

} // namespace oauth
