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
// `unencoded`: base64(id ":" secret) as typed (RFC 7617 section 2), for servers that compare the
// credentials without form-decoding them.
std::string BasicAuthorizationValue(std::string_view clientId, std::string_view clientSecret,
                                    bool unencoded = false);

// True when form-encoding changes the id or the secret, so a server that does not decode them
// sees other credentials than the ones registered.
bool BasicEncodingChangesCredentials(std::string_view clientId, std::string_view clientSecret);

// True when the profile's token requests carry an Authorization: Basic header.
bool UsesBasicAuthentication(const Profile& profile);

// Adds the client's credentials to a token request:
// - a public client (empty secret) sends client_id in the body whatever the setting
//   (RFC 6749 section 4.1.3 / 3.2.1);
// - "header": Authorization: Basic ... (the method servers must support), form-encoded unless
//   the profile's basicUnencoded is set;
// - "body": client_id and client_secret form fields;
// - client_secret_jwt / private_key_jwt: client_id and client_assertion_type; the signed
//   client_assertion is appended later (client_assertion.h).
void ApplyClientAuthentication(const Profile& profile, HttpHeaders& headers, FormParams& body);

// The sentence added to a 400/401/403 answer after Basic authentication whose form-encoding
// changed the credentials (and the profile still encodes them); empty otherwise. `status` is the
// HTTP status of the answer.
std::string DescribeBasicEncodingSuspect(const Profile& profile, int status);

} // namespace oauth
