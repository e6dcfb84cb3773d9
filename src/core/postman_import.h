#pragma once
// A Postman collection's OAuth 2.0 settings as new profiles: the inverse of export_postman.h, so a
// profile exported to Postman comes back with the same fields.
#include "core/profile.h"

#include <string>
#include <string_view>
#include <vector>

namespace oauth {

struct PostmanImportResult {
    std::vector<Profile> profiles;     // in collection order: collection, then folders and requests
    std::vector<std::string> warnings; // one sentence each, naming where in the collection
    std::string error;                 // nothing could be imported: one sentence
    bool ok() const { return error.empty(); }
};

// Reads a Postman Collection v2.0 or v2.1 and makes one profile per `auth` of type "oauth2" on the
// collection, a folder (at any depth) or a request. The oauth2 settings are read in Postman's list
// form [{"key","value","type"}] or the older object form {"accessTokenUrl": ...}:
//   grant_type: authorization_code and authorization_code_with_pkce -> authorization_code (the
//     page always adds PKCE), password_credentials -> password, client_credentials; implicit and
//     others are refused with a warning (RFC 9700 section 2.1.2);
//   authUrl, accessTokenUrl, clientId, clientSecret, scope, redirect_uri, username, password,
//   client_authentication (header/body), tokenName (default: the request, folder or collection
//   name), authRequestParams (enabled entries become "key=value" lines), audience and resource
//   (added as Auth. URL Params lines when authRequestParams lacks them); a refreshTokenUrl other
//   than accessTokenUrl, or a headerPrefix other than "Bearer", is reported (the page refreshes at
//   the Access Token URL and sends Bearer tokens).
// {{variables}} are resolved from the collection's "variable" list; others (environment
// variables) are kept as written and reported. An empty redirect_uri, or Postman's own callback,
// becomes `redirectUrlDefault` (this page's callback). Token Names are made unique among the
// profiles found and `takenNames` ("Demo (2)"); identical settings found twice are imported once.
// Never throws.
PostmanImportResult ImportPostmanCollection(std::string_view text, std::string_view redirectUrlDefault,
                                            const std::vector<std::string>& takenNames = {});

} // namespace oauth
