#pragma once
// The profile model: one OAuth client set-up as the user typed it. Field names are the JSON keys
// of the stored document and of window.oauthSetup.snapshot(), so a reader can map them 1:1.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

// The grants a profile runs (RFC 6749 sections 4.1, 4.3, 4.4; RFC 8628).
enum class GrantType { AuthorizationCode, Password, ClientCredentials, DeviceCode };
// How the client authenticates at the token endpoint (RFC 6749 section 2.3.1).
enum class ClientAuthentication {
    BasicHeader,   // HTTP Basic
    Body,          // client_id/client_secret form fields
    SecretJwt,     // client_secret_jwt: an HS256 assertion keyed by the secret (OIDC Core section 9)
    PrivateKeyJwt, // private_key_jwt: an assertion signed with the client's private key (RFC 7523)
};
// The assertion's "aud" (RFC 7523 section 3): the issuer (RFC 9126 section 2 and the oidc-provider
// default), or the token endpoint URL (what Microsoft Entra ID documents).
enum class AssertionAudience { Issuer, TokenEndpoint };
// How a private_key_jwt assertion is signed (RFC 7518 section 3.1).
enum class SigningAlgorithm { RS256, PS256, ES256 };
// The State a profile shows: none yet, Connected (a token came), Error (the last attempt failed).
enum class ProfileState { None, Connected, Error };

// Their text in stored documents, imports and window.oauthSetup.snapshot(): "authorization_code",
// "password", "client_credentials", "device_code"; "header", "body"; "", "Connected", "Error".
std::string_view ToText(GrantType grant);
std::string_view ToText(ClientAuthentication authentication);
std::string_view ToText(ProfileState state);
std::string_view ToText(AssertionAudience audience); // "issuer", "token_endpoint"
std::string_view ToText(SigningAlgorithm algorithm); // "RS256", "PS256", "ES256"
// What the form shows for each, in the enums' order (the Grant Type and Client Authentication
// choices are indexed by the enum's value).
inline constexpr const char* kGrantTypeCaptions[] = {"Authorization Code", "Password Credentials",
                                                     "Client Credentials", "Device Code"};
inline constexpr const char* kClientAuthenticationCaptions[] = {
    "Send as Basic Auth header", "Send client credentials in body", "Signed JWT with the client secret",
    "Signed JWT with a private key"};
inline constexpr const char* kAssertionAudienceCaptions[] = {"The issuer", "The token endpoint URL"};
inline constexpr const char* kSigningAlgorithmCaptions[] = {"RS256", "PS256", "ES256"};
// The value a text names, or nullopt for any other text.
std::optional<GrantType> GrantTypeFromText(std::string_view text);
std::optional<ClientAuthentication> ClientAuthenticationFromText(std::string_view text);
std::optional<ProfileState> ProfileStateFromText(std::string_view text);
std::optional<AssertionAudience> AssertionAudienceFromText(std::string_view text);
std::optional<SigningAlgorithm> SigningAlgorithmFromText(std::string_view text);

// The grant_type a token request sends: the stored text, except the device grant's URN (RFC 8628
// section 3.4). Refresh (RFC 6749 section 6) is not a profile's grant but a request of its own.
std::string_view WireGrantType(GrantType grant);
inline constexpr std::string_view kGrantRefreshToken = "refresh_token";
inline constexpr std::string_view kGrantDeviceCodeWire = "urn:ietf:params:oauth:grant-type:device_code";

struct Profile {
    // Stable and random, unlike the Token Name: keys the sealed secrets of the passphrase lock, so a
    // rename while locked loses nothing. Written only when set; AssignProfileIds fills it.
    std::string id;
    std::string tokenName;
    GrantType grantType = GrantType::AuthorizationCode;
    std::string clientId;
    std::string clientSecret; // empty = public client
    std::string redirectUrl;
    std::string scopes; // as typed: spaces, commas or new lines
    ClientAuthentication clientAuthentication = ClientAuthentication::BasicHeader;
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
    // Push the authorization request first (RFC 9126, pushed_authorization.h); written only when set.
    bool usePar = false;
    // DPoP (RFC 9449): token requests carry proofs of the profile's own ES256 key (kept by the
    // platform, never in the profile) and ask for sender-constrained tokens. Written only when set.
    bool useDpop = false;
    std::string preset; // id of the preset the profile was made from (presets.h), "" if none
    std::string username;
    std::string password;
    ProfileState state = ProfileState::None;
    std::string issuer; // optional: expected RFC 9207 "iss"; written only when set
    // The API the token is for (resource_indicators.h), as typed: values separated by spaces or new
    // lines. Each written only when set.
    std::string resource; // RFC 8707 resource indicators (absolute URIs)
    std::string audience; // the "audience" parameter (Auth0 and others)
    // Signed client assertions (client_assertion.h); each written only when not the default.
    AssertionAudience assertionAudience = AssertionAudience::Issuer;
    SigningAlgorithm signingAlgorithm = SigningAlgorithm::RS256;
    std::string keyId; // the assertion's "kid"; empty: the key's RFC 7638 thumbprint
    // private_key_jwt: the private key as pasted (PKCS#8 PEM or a private JWK) or generated (a
    // JWK). Never in ProfileToJson, so never in a document, an export or the snapshot: it is stored
    // only sealed under the passphrase lock (passphrase_lock.h), or kept for this tab alone.
    std::string privateKey;
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
