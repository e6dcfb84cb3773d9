#include "core/presets.h"

#include "core/relay_hosts.h"

#include <algorithm>
#include <cctype>

namespace oauth {
namespace {

// One row per provider, in menu order. A reader compares two providers by reading two rows; the
// "checked" comment above each row names the documentation its facts were checked against.
// Error codes and their fixes live in provider_errors.cpp, keyed by the same id.
const std::vector<Preset> kPresets = {
    // Checked: learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow,
    // .../v2-oauth2-device-code,
    // .../reference-error-codes. No RFC 7009 or RFC 7662 endpoint.
    {
        .id = "entra",
        .name = "Microsoft Entra ID (v2.0)",
        .authorizationUrl = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
        .accessTokenUrl = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        .deviceAuthorizationUrl = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode",
        .revocationUrl = "",
        .introspectionUrl = "",
        .discoveryUrl = "https://login.microsoftonline.com/{tenant}/v2.0",
        .scopes = "openid profile offline_access",
        .clientAuthentication = ClientAuthentication::Body,
        .supportedGrants = {"authorization_code", "refresh_token", "client_credentials", "device_code",
                            "password"},
        .guidance =
            "Supports authorization code with PKCE, refresh tokens, client credentials, device code and, for "
            "work or school accounts only and not recommended, password. For this page register the "
            "Redirect URL under the \"Single-page application\" platform (else AADSTS9002326): only then "
            "does the token endpoint answer the browser, and it then refuses a client secret, so leave "
            "Client Secret empty and rely on PKCE. Under \"Web\", and for client credentials, the request "
            "needs the secret's Value (not its ID: AADSTS7000215) and the relay. Fill {tenant} with your "
            "tenant ID or domain, or common, organizations or consumers.",
        .browserTokenCalls = true, // only for "Single-page application" redirect URLs
        .hosts = RelayHostsOf("entra"),
    },
    // Checked: developers.google.com/identity/protocols/oauth2/web-server, .../limited-input-device,
    // .../openid-connect (discovery). Revocation but no introspection endpoint.
    {
        .id = "google",
        .name = "Google",
        .authorizationUrl = "https://accounts.google.com/o/oauth2/v2/auth",
        .accessTokenUrl = "https://oauth2.googleapis.com/token",
        .deviceAuthorizationUrl = "https://oauth2.googleapis.com/device/code",
        .revocationUrl = "https://oauth2.googleapis.com/revoke",
        .introspectionUrl = "",
        .discoveryUrl = "https://accounts.google.com",
        .scopes = "openid email profile",
        .authUrlParams = "access_type=offline\nprompt=consent",
        .clientAuthentication = ClientAuthentication::Body,
        .supportedGrants = {"authorization_code", "refresh_token", "device_code"},
        .guidance =
            "Supports authorization code with PKCE and refresh tokens; the device code grant needs a "
            "separate \"TVs and Limited Input devices\" client and allows only a few scopes; there is no "
            "password or client credentials grant. Create the OAuth client as a \"Web application\" and "
            "add the Redirect URL exactly (else redirect_uri_mismatch): its token requests must carry the "
            "client secret, even with PKCE (else invalid_client). access_type=offline with "
            "prompt=consent makes Google return a refresh token.",
        .browserTokenCalls = true,
        .hosts = RelayHostsOf("google"),
    },
    // Checked: docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints-oauth-grants.html,
    // token-endpoint.html, revocation-endpoint.html. No device authorization endpoint.
    {
        .id = "cognito",
        .name = "Amazon Cognito",
        .authorizationUrl = "https://{domain}.auth.{region}.amazoncognito.com/oauth2/authorize",
        .accessTokenUrl = "https://{domain}.auth.{region}.amazoncognito.com/oauth2/token",
        .deviceAuthorizationUrl = "",
        .revocationUrl = "https://{domain}.auth.{region}.amazoncognito.com/oauth2/revoke",
        .introspectionUrl = "",
        .discoveryUrl = "https://cognito-idp.{region}.amazonaws.com/{userPoolId}",
        .scopes = "openid email profile",
        .clientAuthentication = ClientAuthentication::BasicHeader,
        .supportedGrants = {"authorization_code", "refresh_token", "client_credentials"},
        .guidance =
            "Supports authorization code with PKCE and refresh tokens; client credentials only in an app "
            "client of its own, with a secret and resource-server scopes. There is no device grant. "
            "Revocation takes the refresh token. Pick a \"Single-page application\" app client (no "
            "secret, PKCE) or a \"Traditional web application\" one (secret in the Basic header, else "
            "invalid_client). Fill {domain} with your domain prefix, {region} such as eu-west-1 and "
            "{userPoolId} such as eu-west-1_AbC123; a custom domain replaces the whole host.",
        .browserTokenCalls = true,
        .hosts = RelayHostsOf("cognito"),
    },
    // Checked: developers.dropbox.com/oauth-guide and
    // dropbox.com/developers/documentation/http/documentation.
    // /2/auth/token/revoke is an RPC taking the access token as Bearer, not RFC 7009: left empty.
    {
        .id = "dropbox",
        .name = "Dropbox",
        .authorizationUrl = "https://www.dropbox.com/oauth2/authorize",
        .accessTokenUrl = "https://api.dropboxapi.com/oauth2/token",
        .deviceAuthorizationUrl = "",
        .revocationUrl = "",
        .introspectionUrl = "",
        .discoveryUrl = "",
        .scopes = "",
        .authUrlParams = "token_access_type=offline",
        .clientAuthentication = ClientAuthentication::BasicHeader,
        .supportedGrants = {"authorization_code", "refresh_token"},
        .guidance =
            "Supports only the authorization code grant (with PKCE, so the secret is optional) and "
            "refresh tokens; token_access_type=offline asks for a refresh token. There is no platform to "
            "pick: add the Redirect URL under OAuth 2 in the app's Settings; the scopes are the "
            "permissions ticked there, and the token endpoint answers browsers. Revocation is not RFC "
            "7009 (/2/auth/token/revoke takes the token as a Bearer header), so Revocation URL is empty.",
        .browserTokenCalls = true,
        .hosts = RelayHostsOf("dropbox"),
    },
    // Checked: learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow,
    // .../token-introspection (client_id and client_secret in the body); OIDC issuer www.linkedin.com/oauth.
    {
        .id = "linkedin",
        .name = "LinkedIn",
        .authorizationUrl = "https://www.linkedin.com/oauth/v2/authorization",
        .accessTokenUrl = "https://www.linkedin.com/oauth/v2/accessToken",
        .deviceAuthorizationUrl = "",
        .revocationUrl = "",
        .introspectionUrl = "https://www.linkedin.com/oauth/v2/introspectToken",
        .discoveryUrl = "https://www.linkedin.com/oauth",
        .scopes = "openid profile email",
        .clientAuthentication = ClientAuthentication::Body,
        .supportedGrants = {"authorization_code", "client_credentials", "refresh_token"},
        .guidance =
            "Supports the authorization code grant; client credentials and refresh tokens only for apps "
            "LinkedIn has approved for them. Its token and introspection endpoints never answer browsers "
            "(no CORS): turn on the relay for this profile. There is no platform to pick: add the "
            "Redirect URL under the app's Auth tab (else redirect_uri mismatch); the client secret goes "
            "in the body.",
        .browserTokenCalls = false,
        .hosts = RelayHostsOf("linkedin"),
    },
    // tests/e2e/oidc/server.mjs: oidc-provider on loopback, started by the run command.
    {
        .id = "local-demo",
        .name = "Local demo server",
        .authorizationUrl = "http://127.0.0.1:9400/auth",
        .accessTokenUrl = "http://127.0.0.1:9400/token",
        .deviceAuthorizationUrl = "http://127.0.0.1:9400/device/auth",
        .revocationUrl = "http://127.0.0.1:9400/token/revocation",
        .introspectionUrl = "http://127.0.0.1:9400/token/introspection",
        .discoveryUrl = "http://127.0.0.1:9400",
        .clientId = "basic-client",
        .clientSecret = "basic-secret",
        .scopes = "openid offline_access api:read",
        .clientAuthentication = ClientAuthentication::BasicHeader,
        .supportedGrants = {"authorization_code", "refresh_token", "client_credentials", "password",
                            "device_code"},
        .guidance =
            "A real OpenID Connect server (oidc-provider) on this machine, started by the run command, "
            "with clients already registered: nothing to sign up for. Supports authorization code, "
            "refresh tokens, client credentials, password and device code, and answers browsers. On its "
            "pages any user name with any non-empty password signs in; the password grant takes alice / "
            "wonderland.",
        .browserTokenCalls = true,
        .hosts = RelayHostsOf("local-demo"), // none: loopback never needs the relay
    },
};

// The profile fields a placeholder value goes into: every URL, the Discovery URL included.
constexpr std::string Profile::*kUrlFields[] = {
    &Profile::authorizationUrl, &Profile::accessTokenUrl,   &Profile::deviceAuthorizationUrl,
    &Profile::revocationUrl,    &Profile::introspectionUrl, &Profile::discoveryUrl,
    &Profile::redirectUrl,      &Profile::issuer,
};

bool IsPlaceholderChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

} // namespace

const std::vector<Preset>& Presets() {
    return kPresets;
}

const Preset* FindPreset(std::string_view id) {
    for (const Preset& preset : Presets())
        if (preset.id == id)
            return &preset;
    return nullptr;
}

Profile ProfileFromPreset(const Preset& preset, std::string_view tokenName, std::string_view redirectUrl) {
    Profile profile;
    profile.tokenName = std::string(tokenName);
    profile.redirectUrl = std::string(redirectUrl);
    profile.grantType = preset.grantType;
    profile.clientId = preset.clientId;
    profile.clientSecret = preset.clientSecret;
    profile.scopes = preset.scopes;
    profile.clientAuthentication = preset.clientAuthentication;
    profile.authorizationUrl = preset.authorizationUrl;
    profile.accessTokenUrl = preset.accessTokenUrl;
    profile.authUrlParams = preset.authUrlParams;
    profile.discoveryUrl = preset.discoveryUrl;
    profile.deviceAuthorizationUrl = preset.deviceAuthorizationUrl;
    profile.revocationUrl = preset.revocationUrl;
    profile.introspectionUrl = preset.introspectionUrl;
    profile.preset = preset.id;
    return profile;
}

std::vector<std::string> PlaceholdersInUrls(const Profile& profile) {
    std::vector<std::string> names;
    for (auto field : kUrlFields) {
        const std::string& text = profile.*field;
        for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
            std::size_t end = open + 1;
            if (end >= text.size() || !std::isalpha(static_cast<unsigned char>(text[end])))
                continue;
            while (end < text.size() && IsPlaceholderChar(text[end]))
                ++end;
            if (end >= text.size() || text[end] != '}')
                continue;
            std::string name = text.substr(open + 1, end - open - 1);
            if (std::find(names.begin(), names.end(), name) == names.end())
                names.push_back(std::move(name));
        }
    }
    return names;
}

std::optional<std::string> CheckPlaceholderValue(std::string_view name, std::string_view value) {
    const std::string label = "{" + std::string(name) + "}";
    if (value.empty())
        return "Type a value for " + label + " first.";
    for (char c : value) {
        const bool allowed = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
        if (!allowed)
            return "The value for " + label +
                   " may hold only letters, digits, '.', '-' and '_' (it goes "
                   "into a host name or a path segment); \"" +
                   std::string(1, c) + "\" is not allowed.";
    }
    return std::nullopt;
}

int FillPlaceholder(Profile& profile, std::string_view name, std::string_view value) {
    const std::string token = "{" + std::string(name) + "}";
    int fields = 0;
    for (auto field : kUrlFields) {
        std::string& text = profile.*field;
        bool changed = false;
        for (std::size_t at = text.find(token); at != std::string::npos;
             at = text.find(token, at + value.size())) {
            text.replace(at, token.size(), value);
            changed = true;
        }
        fields += changed ? 1 : 0;
    }
    return fields;
}

} // namespace oauth
