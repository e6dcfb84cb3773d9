// The tools around the grants, as small functions over the parts (parts.h): OIDC discovery,
// revocation (RFC 7009), introspection (RFC 7662), the cURL and Postman exports, export and import
// of all profiles, presets and their placeholders, and the copy buttons. Each works on the selected
// profile where it needs one; requests go out through the Fetcher, outcomes are shown in the status.
#pragma once

#include "app/parts.h"

#include <cstdint>
#include <string>

namespace app {

// Reads the provider's metadata from Issuer / Discovery URL and fills in the endpoints.
void Discover(const Parts& parts);
// Revokes the token `which` ("access_token" or "refresh_token") of the selected profile.
void Revoke(const Parts& parts, const std::string& which);
// Asks the introspection endpoint about the selected profile's access token.
void Introspect(const Parts& parts);
// Asks the UserInfo endpoint (OIDC Core 1.0 section 5.3) for the claims the access token gives.
void CallUserinfo(const Parts& parts);
// Opens the provider's end_session_endpoint in the popup with the ID token as id_token_hint and the
// Redirect URL (this page's callback page) as post_logout_redirect_uri (RP-Initiated Logout 1.0).
void SignOutAtProvider(const Parts& parts);

// Copies the selected profile's token request (or device authorization request) as a cURL command.
void CopyCurl(const Parts& parts);
// Copies exchange log entry `entryId` as a cURL command.
void CopyExchangeCurl(const Parts& parts, std::uint64_t entryId);
// Copies `text` (kCopyRedirectUrl, kCopyAccessToken: what it is, for the confirmation).
void CopyText(const Parts& parts, std::int64_t what, const std::string& text);
// Downloads the selected profile as a Postman collection.
void DownloadPostman(const Parts& parts);
// Downloads every profile as one oauth-setup export.
void ExportAll(const Parts& parts);
// A Postman collection becomes new profiles; anything else is read as an oauth-setup export (or a
// stored document) and merged by Token Name.
void ImportFile(const Parts& parts, const std::string& name, const std::string& text);
// The person confirmed that the credentials an import dropped belong to the new endpoint too.
void KeepDroppedCredentials(const Parts& parts);

// A new profile from provider preset `id`, selected.
void NewFromPreset(const Parts& parts, const std::string& id);
// The placeholder form's Apply: each value typed goes into every URL of the selected profile.
void FillPlaceholders(const Parts& parts);

} // namespace app
