#pragma once
// Provider presets: "New from preset" fills the endpoints and the parameters each provider needs,
// and shows short guidance on registering the client. The presets are one table (presets.cpp),
// one row per provider. Placeholders such as {tenant} are left in the URLs; the form asks for each
// value once (PlaceholdersInUrls, FillPlaceholder), and ValidateProfile refuses to send a request
// while a field the grant uses still holds one.
#include "core/profile.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

struct Preset {
    std::string id{};   // stable, stored as Profile::preset: "entra", "google", ...
    std::string name{}; // shown in the menu
    // Profile fields the preset fills ("" = left empty).
    std::string authorizationUrl{};
    std::string accessTokenUrl{};
    std::string deviceAuthorizationUrl{};
    std::string revocationUrl{};    // only an RFC 7009 endpoint
    std::string introspectionUrl{}; // only an RFC 7662 endpoint
    std::string discoveryUrl{};     // the issuer, for "Issuer / discovery URL"
    std::string clientId{};         // only for the local demo server
    std::string clientSecret{};     // only for the local demo server
    std::string scopes{};
    std::string authUrlParams{}; // one key=value a line
    GrantType grantType = GrantType::AuthorizationCode;
    ClientAuthentication clientAuthentication = ClientAuthentication::BasicHeader;
    std::vector<std::string> supportedGrants{}; // grant_type values (RFC 8414 grant_types_supported)
    std::string guidance{};                     // 2-4 short sentences, shown with the preset
    // True when the token endpoint answers a call from the browser (CORS) in the set-up the
    // guidance recommends (Entra: only for "Single-page application" redirect URLs); false means
    // the relay is needed.
    bool browserTokenCalls = true;
    // Hosts of the POST endpoints (token, device, revocation, introspection), for the relay's
    // allowlist: exact host names, or "*.example.com" for any subdomain. From
    // static/relay-hosts.json (RelayHostsOf), the list serve.py's relay forwards to.
    std::vector<std::string> hosts{};
};

// Every preset, in menu order: entra, google, cognito, dropbox, linkedin, local-demo.
const std::vector<Preset>& Presets();

// nullptr when no preset has this id.
const Preset* FindPreset(std::string_view id);

// A new profile from the preset: its fields, the given Token Name and Redirect URL, and
// Profile::preset = preset.id. Everything else keeps the Profile defaults.
Profile ProfileFromPreset(const Preset& preset, std::string_view tokenName, std::string_view redirectUrl);

// The names of the placeholders ("tenant", "domain", ...) left in any URL of the profile (the
// Discovery URL, Redirect URL and Issuer included), each once, in field order: what the
// placeholder form above the fields asks for.
std::vector<std::string> PlaceholdersInUrls(const Profile& profile);

// Why `value` cannot replace {name}, or nullopt. Values go into a host name or a path segment,
// so only letters, digits, '.', '-' and '_' are accepted (a GUID, contoso.onmicrosoft.com,
// eu-west-1, eu-west-1_AbC123).
std::optional<std::string> CheckPlaceholderValue(std::string_view name, std::string_view value);

// Replaces every "{name}" in every URL of the profile with `value`. Returns the number of
// fields that changed.
int FillPlaceholder(Profile& profile, std::string_view name, std::string_view value);

} // namespace oauth
