#include "core/provider_errors.h"

#include "core/presets.h"
#include "core/text.h"
#include "core/url.h"

#include <cctype>

namespace oauth {
namespace {

// One row per documented code. Sources: learn.microsoft.com/entra/identity-platform/
// reference-error-codes and the AADSTS troubleshooting articles (7000215, 7000218, 9002326);
// developers.google.com/identity/protocols/oauth2/web-server ("Error responses");
// docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html ("Error responses");
// developers.dropbox.com/oauth-guide; learn.microsoft.com/linkedin/shared/authentication/
// authorization-code-flow. `match` (optional) must occur in the description, for codes that
// cover several mistakes; rows with a match come before the general row of the same code.
struct Row {
    const char* presetId;
    const char* code;
    const char* match;
    const char* fix;
};

const Row kRows[] = {
    {"entra", "AADSTS9002326", "",
     "register the Redirect URL under the \"Single-page application\" platform (Authentication > Add a "
     "platform), not \"Web\": only then may a browser redeem the code."},
    {"entra", "AADSTS9002327", "",
     "this Redirect URL is registered as \"Single-page application\", whose tokens are redeemed only by the "
     "browser: send the request from this page without the relay, or register a \"Web\" Redirect URL."},
    {"entra", "AADSTS7000215", "",
     "put the client secret's Value (shown once, when it is created) in Client Secret, not its Secret ID; "
     "create a new secret under Certificates & secrets if the Value is lost."},
    {"entra", "AADSTS7000218", "",
     "this client is confidential: fill Client Secret, or turn on Authentication > Allow public client flows "
     "for the device code and password grants."},
    {"entra", "AADSTS700025", "",
     "this client is public (Single-page application or public client flows): leave Client Secret empty."},
    {"entra", "AADSTS50011", "",
     "add the Redirect URL shown on this page, exactly (scheme, host, port, path and case), under "
     "Authentication in the app registration."},
    {"entra", "AADSTS700016", "",
     "check Client ID (the Application (client) ID) and {tenant}: the app is not registered in that tenant, "
     "or a multi-tenant app was not added to it."},
    {"entra", "AADSTS65001", "",
     "nobody has consented to these permissions yet: sign in and consent, or ask an administrator to grant "
     "admin consent under API permissions."},
    {"entra", "AADSTS7000222", "",
     "the client secret has expired: create a new one under Certificates & secrets."},
    {"entra", "AADSTS90002", "",
     "the tenant in {tenant} does not exist: use your tenant ID or primary domain."},
    {"google", "redirect_uri_mismatch", "",
     "add the Redirect URL shown on this page, exactly, to the OAuth client's Authorized redirect URIs in "
     "the Google Cloud console."},
    {"google", "invalid_client", "",
     "check Client ID and Client Secret: a \"Web application\" client needs its secret on every token "
     "request, even with PKCE."},
    {"google", "unauthorized_client", "",
     "this client type may not use this grant: use a \"Web application\" client for authorization code, a "
     "\"TVs and Limited Input devices\" client for device code."},
    {"google", "invalid_grant", "",
     "the code or refresh token is expired, revoked or already used: press Get Access Token for a new one."},
    {"google", "admin_policy_enforced", "",
     "the Google Workspace administrator does not allow these scopes for this client."},
    {"google", "access_denied", "",
     "the person declined consent, or the app is in testing and the user is not "
     "on its test user list (OAuth consent screen)."},
    {"cognito", "invalid_client", "",
     "check Client ID and Client Secret: an app client with a secret takes it in the Basic header (Client "
     "Authentication: Basic Auth header); one without a secret takes none."},
    {"cognito", "unauthorized_client", "",
     "allow this grant type for the app client (App client > Login pages > OAuth 2.0 grant types); client "
     "credentials needs an app client of its own with a secret."},
    {"cognito", "invalid_grant", "",
     "the code is expired or already used, the refresh token is revoked, or the Redirect URL differs from "
     "the authorization request's: press Get Access Token again."},
    {"cognito", "invalid_scope", "",
     "ask only for scopes the app client allows (openid, email, profile, or a resource server's scopes)."},
    {"cognito", "redirect_mismatch", "",
     "add the Redirect URL shown on this page, exactly, to the app client's Allowed callback URLs."},
    {"dropbox", "invalid_client", "",
     "check Client ID (the App key) and Client Secret (the App secret) from the App Console."},
    {"dropbox", "invalid_grant", "redirect_uri",
     "add the Redirect URL shown on this page, exactly, under OAuth 2 > Redirect URIs in the App Console."},
    {"dropbox", "invalid_grant", "",
     "the code is expired or already used, or the Redirect URL differs: press Get Access Token again."},
    {"dropbox", "invalid_scope", "", "tick the permissions you ask for on the app's Permissions tab first."},
    {"linkedin", "invalid_redirect_uri", "",
     "add the Redirect URL shown on this page, exactly, under Auth > Authorized redirect URLs for your app."},
    {"linkedin", "unauthorized_scope_error", "",
     "add the product that grants this scope to the app (Products tab), or ask only for granted scopes."},
    {"linkedin", "invalid_client", "", "check Client ID and Client Secret on the app's Auth tab."},
    {"linkedin", "invalid_request", "redirect_uri",
     "the Redirect URL must be exactly the one registered under Auth > Authorized redirect URLs."},
};

bool IsPresetId(std::string_view text) {
    return FindPreset(text) != nullptr;
}

// "AADSTS7000215" from "AADSTS7000215: Invalid client secret ...", or "".
std::string FirstAadstsCode(std::string_view description) {
    const std::size_t at = description.find("AADSTS");
    if (at == std::string_view::npos)
        return {};
    std::size_t end = at + 6;
    while (end < description.size() && std::isdigit(static_cast<unsigned char>(description[end])))
        ++end;
    return end > at + 6 ? std::string(description.substr(at, end - at)) : std::string();
}

bool HostMatches(std::string_view host, std::string_view pattern) {
    if (pattern.rfind("*.", 0) == 0) {
        const std::string_view suffix = pattern.substr(1); // ".amazoncognito.com"
        return host.size() > suffix.size() && host.substr(host.size() - suffix.size()) == suffix;
    }
    return host == pattern;
}

} // namespace

std::vector<ProviderErrorFix> ProviderErrorFixes(std::string_view presetId) {
    std::vector<ProviderErrorFix> fixes;
    for (const Row& row : kRows) {
        if (row.presetId != presetId)
            continue;
        bool listed = false;
        for (const ProviderErrorFix& earlier : fixes)
            listed = listed || earlier.code == row.code;
        if (!listed)
            fixes.push_back({row.presetId, row.code, row.fix});
    }
    return fixes;
}

std::string ProviderForUrl(std::string_view url) {
    const auto parsed = ParseUrl(url);
    if (!parsed)
        return {};
    const std::string host = text::LowerAscii(parsed->host);
    // Dropbox's authorization host is not one of the token hosts the presets list for the relay.
    if (host == "www.dropbox.com")
        return "dropbox";
    for (const Preset& preset : Presets())
        for (const std::string& pattern : preset.hosts)
            if (HostMatches(host, pattern))
                return preset.id;
    return {};
}

std::string ProviderFix(std::string_view presetIdOrUrl, std::string_view code, std::string_view description) {
    const std::string provider =
        IsPresetId(presetIdOrUrl) ? std::string(presetIdOrUrl) : ProviderForUrl(presetIdOrUrl);
    if (provider.empty())
        return {};
    const std::string wanted = provider == "entra" ? FirstAadstsCode(description) : std::string(code);
    if (wanted.empty())
        return {};
    for (const Row& row : kRows)
        if (row.presetId == provider && row.code == wanted &&
            (*row.match == '\0' || description.find(row.match) != std::string_view::npos))
            return "Fix (" + wanted + "): " + row.fix;
    return {};
}

} // namespace oauth
