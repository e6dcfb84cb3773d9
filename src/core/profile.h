#pragma once
// The profile model: one OAuth client set-up as the user typed it. Field names are the JSON keys
// of the stored document and of window.oauthSetup.snapshot(), so a reader can map them 1:1.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

// grantType values (RFC 6749 sections 4.1, 4.3, 4.4; refresh_token is section 6).
inline constexpr std::string_view kGrantAuthorizationCode = "authorization_code";
inline constexpr std::string_view kGrantPassword = "password";
inline constexpr std::string_view kGrantClientCredentials = "client_credentials";
inline constexpr std::string_view kGrantRefreshToken = "refresh_token";
// RFC 8628 (Device Authorization Grant). The profile stores the short name; the token request
// sends kGrantDeviceCodeWire as grant_type (RFC 8628 section 3.4).
inline constexpr std::string_view kGrantDeviceCode = "device_code";
inline constexpr std::string_view kGrantDeviceCodeWire = "urn:ietf:params:oauth:grant-type:device_code";

// clientAuthentication values (RFC 6749 section 2.3.1).
inline constexpr std::string_view kClientAuthHeader = "header"; // HTTP Basic
inline constexpr std::string_view kClientAuthBody = "body";     // client_id/client_secret form fields

// state values.
inline constexpr std::string_view kStateNone = "";
inline constexpr std::string_view kStateConnected = "Connected";
inline constexpr std::string_view kStateError = "Error";

struct Profile {
    // Stable and random, unlike the Token Name: keys the sealed secrets of the passphrase lock, so a
    // rename while locked loses nothing. Written only when set; AssignProfileIds fills it.
    std::string id;
    std::string tokenName;
    std::string grantType = std::string(kGrantAuthorizationCode);
    std::string clientId;
    std::string clientSecret; // empty = public client
    std::string redirectUrl;
    std::string scopes; // as typed: spaces, commas or new lines
    std::string clientAuthentication = std::string(kClientAuthHeader);
    std::string authorizationUrl;
    std::string accessTokenUrl;
    std::string authUrlParams;          // as typed: key=value separated by '&' or new lines
    std::string discoveryUrl;           // "Issuer / discovery URL" as typed (an issuer or a .well-known URL)
    std::string deviceAuthorizationUrl; // RFC 8628 section 3.1; required for device_code
    std::string revocationUrl;          // RFC 7009 section 2; optional
    std::string introspectionUrl;       // RFC 7662 section 2; optional
    bool useRelay = false;    // send token, device, revocation and introspection POSTs via the relay
    bool autoRefresh = false; // refresh (or re-run the grant) shortly before the token expires
    // Basic credentials sent as typed, without RFC 6749 section 2.3.1 form-encoding, for servers
    // that compare them without decoding (client_authentication.h).
    bool basicUnencoded = false;
    std::string preset; // id of the preset the profile was made from (presets.h), "" if none
    std::string username;
    std::string password;
    std::string state;        // "", "Connected" or "Error"
    std::string issuer;       // optional: expected RFC 9207 "iss"; written only when set
    nlohmann::json lastToken; // null, or the last token response object (RFC 6749 section 5.1)
    std::string lastError;
    // Counts saved changes, for merging between tabs (profile_merge.h). Written only when set.
    std::int64_t revision = 0;
    nlohmann::json unknownKeys = nlohmann::json::object(); // keys this version does not know, kept
};

// A problem found while reading stored data: where (e.g. "profiles[2].clientId") and what.
struct DocumentProblem {
    std::string path;
    std::string message;
};

// The profile as a JSON object: unknown keys first, then every known key.
nlohmann::json ProfileToJson(const Profile& profile);

// Reads a profile object; never throws. Missing or null keys keep their defaults; a key of the
// wrong type keeps its default and adds a problem under `path`; unknown keys are kept.
Profile ProfileFromJson(const nlohmann::json& object, std::string_view path,
                        std::vector<DocumentProblem>& problems);

// Gives every profile without an id, or with an id an earlier profile already has (a duplicate), a
// new random one: 16 hex digits from `random`. Returns whether any id changed.
bool AssignProfileIds(std::vector<Profile>& profiles,
                      const std::function<void(std::uint8_t*, std::size_t)>& random);

// Dumps JSON without ever throwing: invalid UTF-8 in strings is replaced by U+FFFD.
std::string DumpJson(const nlohmann::json& value, int indent = -1);

} // namespace oauth
