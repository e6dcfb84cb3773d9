#include "core/authenticated_request.h"

#include "core/client_authentication.h"

namespace oauth {

HttpRequest BuildAuthenticatedPost(const Profile& profile, std::string_view url, FormParams params) {
    HttpRequest request;
    request.method = "POST";
    request.url = std::string(url);
    request.headers = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Accept", "application/json"},
    };
    // The seam for issue 13: a client assertion (RFC 7523 section 2.2) replaces the secret here,
    // and a DPoP proof (RFC 9449 section 4) is one more header, both built from `request` as it is
    // about to be sent.
    ApplyClientAuthentication(profile, request.headers, params);
    request.body = EncodeForm(params);
    return request;
}

} // namespace oauth
