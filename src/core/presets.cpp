#include "core/presets.h"

namespace oauth {
namespace {

std::vector<Preset> MakePresets() {
    std::vector<Preset> presets;

    // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow and
    // .../v2-oauth2-device-code. No RFC 7009 or RFC 7662 endpoint.
    Preset entra;
    entra.id = "entra";
    entra.name = "Microsoft Entra ID (v2.0)";
    entra.authorizationUrl = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize";
    entra.accessTokenUrl = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";
    entra.deviceAuthorizationUrl = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode";
    entra.discoveryUrl = "https://login.microsoftonline.com/{tenant}/v2.0";
    entra.scopes = "openid profile offline_access";
    entra.clientAuthentication = std::string(kClientAuthBody);
    entra.supportedGrants = {"authorization_code", "refresh_token", "client_credentials", "device_code",
                             "password"};
    entra.guidance =
        "Supports authorization code with PKCE, refresh tokens, client credentials, device code and, for "
        "work or "
        "school accounts only and not recommended, password. For this page register the Redirect URL under "
        "the "
        "\"Single-page application\" platform: only then does the token endpoint answer the browser, and it "
        "then "
        "refuses a client secret, so leave Client Secret empty and rely on PKCE. Under the \"Web\" platform, "
        "and "
        "for client credentials, the token request needs the secret and must go through the relay. Replace "
        "{tenant} with your tenant ID or domain, or with common, organizations or consumers.";
    entra.browserTokenCalls = true; // only for "Single-page application" redirect URLs
    entra.hosts = {"login.microsoftonline.com"};
    presets.push_back(std::move(entra));

    // https://developers.google.com/identity/protocols/oauth2/web-server and .../limited-input-device.
    Preset google;
    google.id = "google";
    google.name = "Google";
    google.authorizationUrl = "https://accounts.google.com/o/oauth2/v2/auth";
    google.accessTokenUrl = "https://oauth2.googleapis.com/token";
    google.deviceAuthorizationUrl = "https://oauth2.googleapis.com/device/code";
    google.revocationUrl = "https://oauth2.googleapis.com/revoke";
    google.discoveryUrl = "https://accounts.google.com";
    google.scopes = "openid email profile";
    google.authUrlParams = "access_type=offline\nprompt=consent";
    google.clientAuthentication = std::string(kClientAuthBody);
    google.supportedGrants = {"authorization_code", "refresh_token", "device_code"};
    google.guidance =
        "Supports authorization code with PKCE and refresh tokens; the device code grant needs a separate "
        "\"TVs "
        "and Limited Input devices\" client and allows only a few scopes; there is no password or client "
        "credentials grant. Create the OAuth client as a \"Web application\" and add the Redirect URL: its "
        "token "
        "requests must carry the client secret, even with PKCE. access_type=offline with prompt=consent "
        "makes "
        "Google return a refresh token. Google has a revocation endpoint but no introspection endpoint.";
    google.browserTokenCalls = true;
    google.hosts = {"oauth2.googleapis.com"};
    presets.push_back(std::move(google));

    // https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints-oauth-grants.html
    Preset cognito;
    cognito.id = "cognito";
    cognito.name = "Amazon Cognito";
    cognito.authorizationUrl = "https://{domain}.auth.{region}.amazoncognito.com/oauth2/authorize";
    cognito.accessTokenUrl = "https://{domain}.auth.{region}.amazoncognito.com/oauth2/token";
    cognito.revocationUrl = "https://{domain}.auth.{region}.amazoncognito.com/oauth2/revoke";
    cognito.discoveryUrl = "https://cognito-idp.{region}.amazonaws.com/{userPoolId}";
    cognito.scopes = "openid email profile";
    cognito.clientAuthentication = std::string(kClientAuthHeader);
    cognito.supportedGrants = {"authorization_code", "refresh_token", "client_credentials"};
    cognito.guidance =
        "Supports authorization code with PKCE, refresh tokens and client credentials (in an app client of "
        "its "
        "own, with a secret and resource-server scopes); revocation takes a refresh token. Cognito's OAuth "
        "endpoints offer no device authorization endpoint of their own: the device grant needs an add-on "
        "such "
        "as AWS's published Lambda sample. Pick a \"Traditional web application\" app client for a client "
        "secret, or a \"Single-page application\" one without a secret (PKCE); the token endpoint answers "
        "browsers. Replace {domain} with your domain prefix, {region} such as eu-west-1 and {userPoolId} "
        "such "
        "as eu-west-1_AbC123; a custom domain replaces the whole host.";
    cognito.browserTokenCalls = true;
    cognito.hosts = {"*.amazoncognito.com"};
    presets.push_back(std::move(cognito));

    // https://developers.dropbox.com/oauth-guide and
    // https://www.dropbox.com/developers/documentation/http/documentation
    Preset dropbox;
    dropbox.id = "dropbox";
    dropbox.name = "Dropbox";
    dropbox.authorizationUrl = "https://www.dropbox.com/oauth2/authorize";
    dropbox.accessTokenUrl = "https://api.dropboxapi.com/oauth2/token";
    // Left empty on purpose: /2/auth/token/revoke is an RPC taking the access token as Bearer,
    // not an RFC 7009 endpoint.
    dropbox.authUrlParams = "token_access_type=offline";
    dropbox.clientAuthentication = std::string(kClientAuthHeader);
    dropbox.supportedGrants = {"authorization_code", "refresh_token"};
    dropbox.guidance =
        "Supports only the authorization code grant (with PKCE, so the secret is optional) and refresh "
        "tokens; "
        "token_access_type=offline asks for a refresh token. There is no platform to pick: add the Redirect "
        "URL "
        "under OAuth 2 in the app's Settings; the scopes are the permissions ticked there, and the token "
        "endpoint answers browsers. Revocation is not RFC 7009 "
        "(https://api.dropboxapi.com/2/auth/token/revoke "
        "takes the access token as a Bearer header), so Revocation URL is left empty.";
    dropbox.browserTokenCalls = true;
    dropbox.hosts = {"api.dropboxapi.com"};
    presets.push_back(std::move(dropbox));

    // https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow and
    // .../token-introspection; OpenID Connect issuer https://www.linkedin.com/oauth.
    Preset linkedin;
    linkedin.id = "linkedin";
    linkedin.name = "LinkedIn";
    linkedin.authorizationUrl = "https://www.linkedin.com/oauth/v2/authorization";
    linkedin.accessTokenUrl = "https://www.linkedin.com/oauth/v2/accessToken";
    linkedin.introspectionUrl = "https://www.linkedin.com/oauth/v2/introspectToken";
    linkedin.discoveryUrl = "https://www.linkedin.com/oauth";
    linkedin.scopes = "openid profile email";
    linkedin.clientAuthentication = std::string(kClientAuthBody);
    linkedin.supportedGrants = {"authorization_code", "client_credentials", "refresh_token"};
    linkedin.guidance =
        "Supports the authorization code grant; client credentials and refresh tokens only for apps LinkedIn "
        "has approved for them. Its token and introspection endpoints never answer browsers (no CORS): turn "
        "on "
        "the relay for this profile. There is no platform to pick: add the Redirect URL under the app's Auth "
        "tab; the client secret goes in the body.";
    linkedin.browserTokenCalls = false;
    linkedin.hosts = {"www.linkedin.com"};
    presets.push_back(std::move(linkedin));

    // tests/e2e/oidc/server.mjs: oidc-provider on loopback, started by the run command.
    Preset local;
    local.id = "local-demo";
    local.name = "Local demo server";
    local.authorizationUrl = "http://127.0.0.1:9400/auth";
    local.accessTokenUrl = "http://127.0.0.1:9400/token";
    local.deviceAuthorizationUrl = "http://127.0.0.1:9400/device/auth";
    local.revocationUrl = "http://127.0.0.1:9400/token/revocation";
    local.introspectionUrl = "http://127.0.0.1:9400/token/introspection";
    local.discoveryUrl = "http://127.0.0.1:9400";
    local.clientId = "basic-client";
    local.clientSecret = "basic-secret";
    local.scopes = "openid offline_access api:read";
    local.clientAuthentication = std::string(kClientAuthHeader);
    local.supportedGrants = {"authorization_code", "refresh_token", "client_credentials", "password",
                             "device_code"};
    local.guidance =
        "A real OpenID Connect server (oidc-provider) on this machine, started by the run command, with "
        "clients already registered: nothing to sign up for. Supports authorization code, refresh tokens, "
        "client "
        "credentials, password and device code, and answers browsers. On its pages any user name with "
        "any non-empty password signs in; the password grant takes alice / wonderland.";
    local.browserTokenCalls = true;
    local.hosts = {}; // loopback: the relay is never needed
    presets.push_back(std::move(local));

    return presets;
}

} // namespace

const std::vector<Preset>& Presets() {
    static const std::vector<Preset> presets = MakePresets();
    return presets;
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

} // namespace oauth
