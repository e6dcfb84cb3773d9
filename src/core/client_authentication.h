#pragma once
// Client authentication at the token endpoint (RFC 6749 section 2.3.1).
#include "core/encoding.h"
#include "core/http.h"
#include "core/profile.h"

#include <string>
#include <string_view>

namespace oauth {

// RFC 6749 section 2.3.1: "Basic " + base64(form-urlencode(id) ":" form-urlencode(secret)). The
// form-encoding step is what lets a secret such as "a:b+c/d=e%f g" survive the ':' separator.
std::string BasicAuthorizationValue(std::string_view clientId, std::string_view clientSecret);

// Adds the client's credentials to a token request:
// - a public client (empty secret) sends client_id in the body whatever the setting
//   (RFC 6749 section 4.1.3 / 3.2.1);
// - "header": Authorization: Basic ... (the method servers must support);
// - "body" (or anything else): client_id and client_secret form fields.
void ApplyClientAuthentication(const Profile& profile, HttpHeaders& headers, FormParams& body);

} // namespace oauth
