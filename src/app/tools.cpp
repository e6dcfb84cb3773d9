#include "app/tools.h"

#include "app/controller_detail.h"

#include "core/authenticated_request.h"
#include "core/client_assertion.h"
#include "core/device_authorization.h"
#include "core/discovery.h"
#include "core/dpop.h"
#include "core/exchange_log.h"
#include "core/export_curl.h"
#include "core/export_postman.h"
#include "core/introspection.h"
#include "core/json_depth.h"
#include "core/jwt.h"
#include "core/logout.h"
#include "core/pkce.h"
#include "core/postman_import.h"
#include "core/presets.h"
#include "core/profiles_export.h"
#include "core/revocation.h"
#include "core/token_request.h"
#include "core/transport_failure.h"
#include "core/userinfo.h"
#include "core/validation.h"

#include <cmath>

namespace app {

using oauth::Profile;

namespace {

// "Retry through the relay" runs the grant again: a tool's failure names the setting instead.
oauth::FetchContext WithoutRetryButton(oauth::FetchContext context) {
    context.relayRetryButton = false;
    return context;
}

// A tool's request goes only where the same URL rules as a grant's allow; "Not sent: ..." if not.
bool RefusedToolUrl(const Parts& parts, const Profile& profile, std::string_view field) {
    const oauth::UrlReader browser = platform::UrlReaderOf(parts.platform);
    if (auto error = oauth::CheckToolUrl(profile, field, &browser)) {
        parts.state.status = "Not sent: " + error->message;
        return true;
    }
    return false;
}

// A tool's answer, read only while the profile it was sent for is still the selected one.
using ToolAnswer = std::function<void(Profile&, const oauth::FetchResult&, const oauth::FetchContext&)>;

void SendForSelected(const Parts& parts, const Profile& profile, std::string_view step,
                     const oauth::HttpRequest& request, oauth::Endpoint endpoint, ToolAnswer handler) {
    const std::string name = profile.tokenName;
    parts.fetcher.send(profile, step, request, endpoint,
                       [&state = parts.state, name, handler](const oauth::FetchResult& r,
                                                             const oauth::FetchContext& context) {
                           if (Profile* selected = state.current(); selected && selected->tokenName == name)
                               handler(*selected, r, WithoutRetryButton(context));
                       });
}

// "with secrets." / "secrets masked." after a copy or export.
std::string SecretsNote(bool revealed, const char* hidden = " (secrets masked).") {
    return revealed ? " (with secrets)." : hidden;
}

std::string Plural(std::size_t n, const char* noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

void OnDiscovery(const Parts& parts, Profile& profile, oauth::Discovery d) {
    AppState& s = parts.state;
    s.discoveryWarnings = d.warnings;
    if (!d.ok()) {
        s.status = "Discovery failed: " + d.error;
        s.discovery.reset();
        return;
    }
    oauth::ApplyDiscovery(profile, d);
    for (const std::string& w : oauth::CheckProfileAgainstDiscovery(profile, d))
        s.discoveryWarnings.push_back(w);
    s.discovery = std::move(d);
    s.discoveredFor = profile.tokenName;
    s.status = "Endpoints filled in from the provider's metadata.";
    parts.store.save();
}

// RFC 7009 section 2.2: a 200 means the token is no longer valid. A revoked access token is marked
// (no countdown, no auto-refresh, no stale introspection) and the profile is no longer Connected;
// a revoked refresh token is dropped, so Refresh is no longer offered.
void MarkRevoked(const Parts& parts, Profile& profile, const std::string& which, const std::string& token) {
    if (!profile.lastToken.is_object() || profile.lastToken.value(which, std::string()) != token)
        return; // a newer token arrived meanwhile
    if (which == oauth::kTokenTypeHintRefreshToken) {
        profile.lastToken.erase("refresh_token");
    } else {
        profile.lastToken[kRevokedAtKey] = static_cast<std::int64_t>(std::floor(parts.platform.now()));
        profile.state = oauth::ProfileState::None;
        profile.lastError.clear();
        parts.state.introspectionText.clear();
        StampOutcome(parts, profile);
    }
    parts.store.save();
}

} // namespace

// ---- Requests ----------------------------------------------------------------------------------

void Discover(const Parts& parts) {
    AppState& s = parts.state;
    Profile* p = s.current();
    if (!p)
        return;
    if (p->discoveryUrl.empty()) {
        s.status = "Type the provider's issuer (or its .well-known URL) into Issuer / Discovery URL first.";
        return;
    }
    if (RefusedToolUrl(parts, *p, "discoveryUrl"))
        return;
    const std::string url = oauth::DiscoveryDocumentUrl(p->discoveryUrl);
    const std::string expectedIssuer = oauth::ExpectedIssuer(p->discoveryUrl);
    const std::string name = p->tokenName;
    s.discovering = true;
    s.status = "Reading the provider's metadata…";
    oauth::BeginAttempt(s.log);
    // Discovery documents are public GETs: never through the relay, no client authentication.
    Profile direct = *p;
    direct.useRelay = false;
    parts.fetcher.send(
        direct, oauth::kStepDiscovery, oauth::BuildDiscoveryRequest(url), oauth::kDiscoveryEndpoint,
        [parts, name, expectedIssuer](const oauth::FetchResult& r, const oauth::FetchContext& context) {
            parts.state.discovering = false;
            Profile* profile = parts.state.current();
            if (profile && profile->tokenName == name)
                OnDiscovery(parts, *profile, oauth::ProcessDiscoveryResponse(r, context, expectedIssuer));
        });
}

void Revoke(const Parts& parts, const std::string& which) {
    Profile* p = parts.state.current();
    if (!p || !p->lastToken.is_object() || p->revocationUrl.empty())
        return;
    const std::string token = p->lastToken.value(which, std::string());
    if (token.empty() || RefusedToolUrl(parts, *p, "revocationUrl"))
        return;
    oauth::BeginAttempt(parts.state.log);
    parts.state.status = "Revoking the token…";
    SendForSelected(parts, *p, oauth::kStepRevocation, oauth::BuildRevocationRequest(*p, token, which),
                    oauth::kRevocationEndpoint,
                    [parts, which, token, sent = *p](Profile& profile, const oauth::FetchResult& r,
                                                     const oauth::FetchContext& context) {
                        oauth::RevocationResult result = oauth::ProcessRevocationResponse(r, context);
                        parts.state.status =
                            result.error ? oauth::ClientRefusalMessage(sent, *result.error) : result.message;
                        if (result.ok())
                            MarkRevoked(parts, profile, which, token);
                    });
}

void Introspect(const Parts& parts) {
    Profile* p = parts.state.current();
    if (!p || !p->lastToken.is_object() || p->introspectionUrl.empty())
        return;
    const std::string token = p->lastToken.value("access_token", std::string());
    if (RefusedToolUrl(parts, *p, "introspectionUrl"))
        return;
    oauth::BeginAttempt(parts.state.log);
    parts.state.status = "Asking the provider about the token…";
    SendForSelected(
        parts, *p, oauth::kStepIntrospection, oauth::BuildIntrospectionRequest(*p, token, "access_token"),
        oauth::kIntrospectionEndpoint,
        [&state = parts.state, sent = *p](Profile&, const oauth::FetchResult& r,
                                          const oauth::FetchContext& context) {
            oauth::Introspection result = oauth::ProcessIntrospectionResponse(r, context);
            state.status = result.error ? oauth::ClientRefusalMessage(sent, *result.error) : result.message;
            state.introspectionText =
                result.ok() ? result.fields.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                            : result.rawBody;
        });
}

void CallUserinfo(const Parts& parts) {
    AppState& s = parts.state;
    Profile* p = s.current();
    if (!p || !p->lastToken.is_object())
        return;
    const std::string url = s.userinfoUrl();
    const oauth::UrlReader browser = platform::UrlReaderOf(parts.platform);
    if (auto problem = oauth::CheckEndpointUrl(url, "userinfo_endpoint", &browser)) {
        s.status = url.empty() ? "Not sent: press Discover first; the UserInfo endpoint comes from the "
                                 "provider's metadata (userinfo_endpoint)."
                               : "Not sent: " + *problem;
        return;
    }
    // OIDC Core 5.3.2: the claims are the ID token's user's only when their sub is the same.
    const nlohmann::json idClaims = oauth::DecodeJwt(p->lastToken.value("id_token", std::string())).payload;
    const auto subClaim = idClaims.is_object() ? idClaims.find("sub") : idClaims.end();
    const std::string sub =
        subClaim != idClaims.end() && subClaim->is_string() ? subClaim->get<std::string>() : std::string();
    oauth::BeginAttempt(s.log);
    s.status = "Asking the UserInfo endpoint…";
    s.userinfoText.clear();
    Profile direct = *p; // a GET with a Bearer token: never through the relay, which forwards POSTs
    direct.useRelay = false;
    SendForSelected(
        parts, direct, oauth::kStepUserinfo,
        oauth::BuildUserinfoRequest(url, p->lastToken.value("access_token", std::string()),
                                    p->lastToken.value("token_type", std::string())),
        oauth::kUserinfoEndpoint,
        [&state = s, sub](Profile&, const oauth::FetchResult& r, const oauth::FetchContext& context) {
            const oauth::Userinfo result = oauth::ProcessUserinfoResponse(r, context, sub);
            state.status = result.message;
            state.userinfoText =
                result.ok() ? result.claims.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                            : "";
        });
}

void SignOutAtProvider(const Parts& parts) {
    AppState& s = parts.state;
    Profile* p = s.current();
    const std::string idToken =
        p && p->lastToken.is_object() ? p->lastToken.value("id_token", std::string()) : "";
    const std::string url = s.endSessionUrl();
    const oauth::UrlReader browser = platform::UrlReaderOf(parts.platform);
    if (idToken.empty() || url.empty())
        return;
    if (auto problem = oauth::CheckEndpointUrl(url, "end_session_endpoint", &browser)) {
        s.status = "Not sent: " + *problem;
        return;
    }
    if (auto problem = oauth::CheckEndpointUrl(p->redirectUrl, "Redirect URL", &browser)) {
        s.status = "Not sent: the provider sends you back to the Redirect URL after signing out. " + *problem;
        return;
    }
    const std::string state =
        oauth::MakeState([&parts](std::uint8_t* out, std::size_t n) { parts.platform.randomBytes(out, n); });
    const std::string logout = oauth::BuildLogoutUrl(url, idToken, p->redirectUrl, p->clientId, state);
    oauth::BeginAttempt(s.log);
    oauth::RecordNavigation(s.log, oauth::kStepSignOut, logout, parts.platform.now() * 1000);
    s.signOutState = state;
    s.status = parts.platform.openPopup(logout)
                   ? "Signing out at the provider in the popup window…"
                   : "The browser blocked the sign-out popup. Allow popups for this page, then try again.";
}

// ---- Copies and exports ------------------------------------------------------------------------

namespace {

// Copies `req` once its DPoP proof and client assertion are made: each fresh, as both are single-use
// and short-lived (RFC 9449 section 11.1, RFC 7523 section 3), with a shell comment saying so.
void CopyWithFreshProofs(const Parts& parts, const Profile& profile, const oauth::HttpRequest& req,
                         std::string notes) {
    AppState& s = parts.state;
    if (req.dpop) {
        s.status = "Making a DPoP proof for the cURL command…";
        return parts.fetcher.proveDpop(
            profile, req, [parts, profile, notes](bool ok, oauth::HttpRequest proved, std::string error) {
                if (!ok) {
                    parts.state.status = "Nothing was copied: the DPoP proof could not be made. " + error;
                    return;
                }
                CopyWithFreshProofs(parts, profile, proved, notes + oauth::CurlDpopNote() + "\n");
            });
    }
    if (req.assertion) {
        s.status = "Signing a client assertion for the cURL command…";
        return parts.fetcher.signAssertion(
            profile, *req.assertion,
            [parts, profile, req, notes](bool ok, std::string jwt, std::string error) {
                if (!ok) {
                    parts.state.status =
                        "Nothing was copied: the client assertion could not be signed. " + error;
                    return;
                }
                CopyWithFreshProofs(parts, profile, oauth::WithClientAssertion(req, jwt),
                                    notes + oauth::CurlAssertionNote() + "\n");
            });
    }
    parts.platform.copyToClipboard(notes + oauth::ExportCurl(req, s.revealInExports));
    const bool dpop = notes.find("# DPoP") != std::string::npos;
    const bool assertion = notes.find("# client_assertion") != std::string::npos;
    const std::string seconds = std::to_string(oauth::kAssertionLifetimeSeconds);
    const std::string fresh =
        dpop && assertion
            ? " with a fresh DPoP proof and client assertion, valid for " + seconds + " seconds and only once"
        : dpop      ? std::string(" with a fresh DPoP proof, for one request within a few minutes")
        : assertion ? " with a fresh client assertion, valid for " + seconds + " seconds and only once"
                    : std::string();
    s.status = "The token request was copied as a cURL command" + fresh +
               SecretsNote(s.revealInExports,
                           assertion ? " (secrets and the assertion masked)." : " (secrets masked).");
    s.copied = "Copy as cURL";
}

} // namespace

void CopyCurl(const Parts& parts) {
    AppState& s = parts.state;
    Profile* p = s.current();
    if (!p)
        return;
    oauth::HttpRequest req;
    if (p->grantType == oauth::GrantType::Password)
        req = oauth::BuildPasswordTokenRequest(*p);
    else if (p->grantType == oauth::GrantType::ClientCredentials)
        req = oauth::BuildClientCredentialsTokenRequest(*p);
    else if (p->grantType == oauth::GrantType::DeviceCode)
        req = oauth::BuildDeviceAuthorizationRequest(*p);
    else
        req = oauth::BuildAuthorizationCodeTokenRequest(*p, "<authorization code>", "<code verifier>");
    CopyWithFreshProofs(parts, *p, req, "");
}

void CopyExchangeCurl(const Parts& parts, std::uint64_t entryId) {
    AppState& s = parts.state;
    const oauth::ExchangeEntry* e = oauth::FindExchange(s.log, entryId);
    if (!e)
        return;
    parts.platform.copyToClipboard(oauth::ExchangeEntryAsCurl(*e, s.revealLog));
    s.status = "Copied the request as a cURL command" + SecretsNote(s.revealLog);
    s.copied = "log:" + std::to_string(entryId);
}

void CopyText(const Parts& parts, std::int64_t what, const std::string& text) {
    AppState& s = parts.state;
    parts.platform.copyToClipboard(text);
    if (what == kCopyRedirectUrl) {
        s.status = "Copied the Redirect URL: register exactly this at the provider.";
        s.copied = "Copy URL";
    } else if (what == kCopyAccessToken) {
        s.status = "Copied the access token itself (not masked): paste it only where it belongs.";
        s.copied = "Copy Token";
    } else if (what == kCopyPublicJwk || what == kCopyJwks) {
        s.status = what == kCopyJwks ? "Copied the JWKS: register it for the client at the provider."
                                     : "Copied the public JWK: register it for the client at the provider.";
        s.copied = what == kCopyJwks ? "Copy JWKS" : "Copy Public JWK";
    }
}

void DownloadPostman(const Parts& parts) {
    AppState& s = parts.state;
    const Profile* p = s.current();
    if (!p)
        return;
    oauth::PostmanExportOptions options;
    options.includeSecrets = s.revealInExports;
    // The provider's UserInfo lets the collection use its token; only the same provider's.
    if (s.discovery && s.discovery->metadata.tokenEndpoint == p->accessTokenUrl)
        options.userinfoUrl = s.discovery->metadata.userinfoEndpoint;
    parts.platform.downloadFile(detail::fileNameFor(p->tokenName), "application/json",
                                oauth::ExportPostmanCollection(*p, options));
    s.status = "Postman collection downloaded" + SecretsNote(s.revealInExports, " (secrets left out).");
}

void ExportAll(const Parts& parts) {
    const AppState& s = parts.state;
    parts.platform.downloadFile("oauth-setup-profiles.json", "application/json",
                                oauth::ExportProfiles(s.profiles, s.includeSecretsInExportAll));
    parts.state.status =
        "Exported " + Plural(s.profiles.size(), "profile") +
        (s.includeSecretsInExportAll ? " with their secrets and tokens." : " (secrets and tokens left out).");
}

// ---- Import --------------------------------------------------------------------------------------

namespace {

void ClearConnectedWithoutTokens(const Parts& parts) {
    if (parts.store.lockSet()) // locked: the tokens are sealed, not missing
        return;
    for (Profile& p : parts.state.profiles)
        ClearConnectedWithoutToken(p);
}

void ImportPostman(const Parts& parts, const std::string& name, const std::string& text) {
    AppState& s = parts.state;
    oauth::PostmanImportResult result =
        oauth::ImportPostmanCollection(text, parts.store.defaultRedirectUrl());
    if (!result.ok()) {
        s.status = "Nothing imported from " + name + ": " + result.error;
        return;
    }
    std::string added;
    for (Profile p : result.profiles) {
        p.tokenName = UniqueName(s, p.tokenName);
        added += (added.empty() ? "" : ", ") + p.tokenName;
        s.profiles.push_back(std::move(p));
    }
    // Selecting clears the status line: select first, then report.
    if (!result.profiles.empty())
        SelectProfile(parts, static_cast<int>(s.profiles.size()) - 1);
    s.status = "Imported " + Plural(result.profiles.size(), "profile") + " from the Postman collection " +
               name + (added.empty() ? "." : ": " + added + ".");
    for (const std::string& w : result.warnings)
        s.status += " " + w;
    ClearConnectedWithoutTokens(parts);
    parts.store.save();
}

void ImportExport(const Parts& parts, const std::string& name, const std::string& text) {
    AppState& s = parts.state;
    oauth::ImportResult result = oauth::ImportProfiles(text, s.profiles);
    if (!result.ok()) {
        s.status = "Nothing imported from " + name + ": " + result.error;
        return;
    }
    ClearConnectedWithoutTokens(parts);
    SelectProfile(parts, s.selected);
    s.status = result.Report();
    s.droppedOnImport = std::move(result.dropped);
    parts.store.save();
}

} // namespace

void ImportFile(const Parts& parts, const std::string& name, const std::string& text) {
    nlohmann::json probe = oauth::ParseUntrustedJson(text); // too deep: ImportProfiles says so
    if (probe.is_object() && (probe.contains("item") || probe.contains("info")))
        ImportPostman(parts, name, text);
    else
        ImportExport(parts, name, text);
}

void KeepDroppedCredentials(const Parts& parts) {
    AppState& s = parts.state;
    for (const oauth::DroppedCredentials& d : s.droppedOnImport)
        if (Profile* p = FindProfile(s, d.tokenName)) {
            if (p->clientSecret.empty())
                p->clientSecret = d.clientSecret;
            if (p->password.empty())
                p->password = d.password;
            if (!p->lastToken.is_object())
                p->lastToken = d.lastToken;
        }
    s.status = "Kept the previous secret, password and tokens of " +
               Plural(s.droppedOnImport.size(), "imported profile") + ".";
    s.droppedOnImport.clear();
    parts.store.save();
}

// ---- Presets and placeholders ------------------------------------------------------------------

void NewFromPreset(const Parts& parts, const std::string& id) {
    const oauth::Preset* preset = oauth::FindPreset(id);
    if (!preset)
        return;
    AppState& s = parts.state;
    s.profiles.push_back(
        oauth::ProfileFromPreset(*preset, UniqueName(s, preset->name), parts.store.defaultRedirectUrl()));
    SelectProfile(parts, static_cast<int>(s.profiles.size()) - 1);
    parts.store.save();
}

namespace {

// URLs that differ between two versions of a profile, each counted once whatever it held.
int ChangedUrls(const Profile& before, const Profile& after) {
    int fields = 0;
    for (auto field : {&Profile::authorizationUrl, &Profile::accessTokenUrl, &Profile::deviceAuthorizationUrl,
                       &Profile::revocationUrl, &Profile::introspectionUrl, &Profile::discoveryUrl,
                       &Profile::redirectUrl, &Profile::issuer})
        fields += before.*field != after.*field ? 1 : 0;
    return fields;
}

} // namespace

void FillPlaceholders(const Parts& parts) {
    AppState& s = parts.state;
    Profile* p = s.current();
    if (!p)
        return;
    s.placeholderError.clear();
    std::string filled;
    const Profile before = *p;
    for (const std::string& name : oauth::PlaceholdersInUrls(*p)) {
        const std::string value = s.placeholderDrafts[name];
        if (auto problem = oauth::CheckPlaceholderValue(name, value)) {
            if (s.placeholderError.empty() && !value.empty())
                s.placeholderError = *problem;
            continue;
        }
        oauth::FillPlaceholder(*p, name, value);
        filled += (filled.empty() ? "{" : ", {") + name + "} = " + value;
        s.placeholderDrafts.erase(name);
    }
    if (filled.empty()) {
        if (s.placeholderError.empty() && !oauth::PlaceholdersInUrls(*p).empty())
            s.placeholderError = *oauth::CheckPlaceholderValue(oauth::PlaceholdersInUrls(*p).front(), "");
        return;
    }
    const int fields = ChangedUrls(before, *p);
    s.discovery.reset();
    s.discoveryWarnings.clear();
    s.status = "Filled " + filled + " in " + std::to_string(fields) + " URL" + (fields == 1 ? "" : "s") + ".";
    parts.store.save();
}

} // namespace app
