// The tools around the grants: OIDC discovery, revocation (RFC 7009), introspection (RFC 7662),
// the cURL and Postman exports, export and import of all profiles, and provider presets.
#include "app/controller.h"
#include "app/controller_detail.h"

#include "core/device_authorization.h"
#include "core/discovery.h"
#include "core/export_curl.h"
#include "core/introspection.h"
#include "core/json_depth.h"
#include "core/postman_import.h"
#include "core/presets.h"
#include "core/profiles_export.h"
#include "core/revocation.h"
#include "core/token_request.h"
#include "core/transport_failure.h"
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

} // namespace

void Controller::discover() {
    Profile* p = state_.current();
    if (!p)
        return;
    if (p->discoveryUrl.empty()) {
        state_.status =
            "Type the provider's issuer (or its .well-known URL) into Issuer / Discovery URL first.";
        return;
    }
    if (const oauth::UrlReader browser = platform::UrlReaderOf(platform_);
        auto error = oauth::CheckToolUrl(*p, "discoveryUrl", &browser)) {
        state_.status = "Not sent: " + error->message;
        return;
    }
    const std::string url = oauth::DiscoveryDocumentUrl(p->discoveryUrl);
    const std::string expectedIssuer = oauth::ExpectedIssuer(p->discoveryUrl);
    const std::string name = p->tokenName;
    state_.discovering = true;
    state_.status = "Reading the provider's metadata…";
    oauth::BeginAttempt(state_.log);
    // Discovery documents are public GETs: never through the relay, no client authentication.
    Profile direct = *p;
    direct.useRelay = false;
    fetcher_.send(
        direct, oauth::kStepDiscovery, oauth::BuildDiscoveryRequest(url), oauth::kDiscoveryEndpoint,
        [this, name, expectedIssuer](const oauth::FetchResult& r, const oauth::FetchContext& context) {
            state_.discovering = false;
            Profile* profile = state_.current();
            if (!profile || profile->tokenName != name)
                return;
            oauth::Discovery d = oauth::ProcessDiscoveryResponse(r, context, expectedIssuer);
            onDiscovery(*profile, std::move(d));
        });
}

void Controller::onDiscovery(Profile& profile, oauth::Discovery d) {
    if (!d.ok()) {
        state_.status = "Discovery failed: " + d.error;
        state_.discovery.reset();
        state_.discoveryWarnings = d.warnings;
        return;
    }
    oauth::ApplyDiscovery(profile, d);
    state_.discoveryWarnings = d.warnings;
    for (const std::string& w : oauth::CheckProfileAgainstDiscovery(profile, d))
        state_.discoveryWarnings.push_back(w);
    state_.discovery = std::move(d);
    state_.status = "Endpoints filled in from the provider's metadata.";
    save();
}

void Controller::revoke(const std::string& which) {
    Profile* p = state_.current();
    if (!p || !p->lastToken.is_object() || p->revocationUrl.empty())
        return;
    const std::string token = p->lastToken.value(which, std::string());
    if (token.empty())
        return;
    if (const oauth::UrlReader browser = platform::UrlReaderOf(platform_);
        auto error = oauth::CheckToolUrl(*p, "revocationUrl", &browser)) {
        state_.status = "Not sent: " + error->message;
        return;
    }
    oauth::BeginAttempt(state_.log);
    state_.status = "Revoking the token…";
    const std::string name = p->tokenName;
    fetcher_.send(
        *p, oauth::kStepRevocation, oauth::BuildRevocationRequest(*p, token, which),
        oauth::kRevocationEndpoint,
        [this, name, which, token](const oauth::FetchResult& r, const oauth::FetchContext& context) {
            if (!state_.current() || state_.current()->tokenName != name)
                return;
            oauth::RevocationResult result = oauth::ProcessRevocationResponse(r, WithoutRetryButton(context));
            state_.status = result.message;
            if (result.ok())
                markRevoked(*state_.current(), which, token);
        });
}

void Controller::introspect() {
    Profile* p = state_.current();
    if (!p || !p->lastToken.is_object() || p->introspectionUrl.empty())
        return;
    const std::string token = p->lastToken.value("access_token", std::string());
    if (const oauth::UrlReader browser = platform::UrlReaderOf(platform_);
        auto error = oauth::CheckToolUrl(*p, "introspectionUrl", &browser)) {
        state_.status = "Not sent: " + error->message;
        return;
    }
    oauth::BeginAttempt(state_.log);
    state_.status = "Asking the provider about the token…";
    const std::string name = p->tokenName;
    fetcher_.send(*p, oauth::kStepIntrospection, oauth::BuildIntrospectionRequest(*p, token, "access_token"),
                  oauth::kIntrospectionEndpoint,
                  [this, name](const oauth::FetchResult& r, const oauth::FetchContext& context) {
                      if (!state_.current() || state_.current()->tokenName != name)
                          return;
                      oauth::Introspection result =
                          oauth::ProcessIntrospectionResponse(r, WithoutRetryButton(context));
                      state_.status = result.message;
                      state_.introspectionText =
                          result.ok()
                              ? result.fields.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                              : result.rawBody;
                  });
}

void Controller::copyCurl() {
    Profile* p = state_.current();
    if (!p)
        return;
    oauth::HttpRequest req;
    if (p->grantType == oauth::kGrantPassword)
        req = oauth::BuildPasswordTokenRequest(*p);
    else if (p->grantType == oauth::kGrantClientCredentials)
        req = oauth::BuildClientCredentialsTokenRequest(*p);
    else if (p->grantType == oauth::kGrantDeviceCode)
        req = oauth::BuildDeviceAuthorizationRequest(*p);
    else
        req = oauth::BuildAuthorizationCodeTokenRequest(*p, "<authorization code>", "<code verifier>");
    platform_.copyToClipboard(oauth::ExportCurl(req, state_.revealInExports));
    state_.status = "The token request was copied as a cURL command" +
                    std::string(state_.revealInExports ? " (with secrets)." : " (secrets masked).");
    state_.copied = "Copy as cURL";
}

void Controller::exportAll() {
    platform_.downloadFile("oauth-setup-profiles.json", "application/json",
                           oauth::ExportProfiles(state_.profiles, state_.includeSecretsInExportAll));
    state_.status = "Exported " + std::to_string(state_.profiles.size()) + " profile" +
                    (state_.profiles.size() == 1 ? "" : "s") +
                    (state_.includeSecretsInExportAll ? " with their secrets and tokens."
                                                      : " (secrets and tokens left out).");
}

// A Postman collection becomes new profiles; anything else is read as an oauth-setup export (or
// a stored document) and merged by Token Name.
void Controller::importFile(const std::string& name, const std::string& text) {
    nlohmann::json probe = oauth::ParseUntrustedJson(text); // too deep: ImportProfiles says so
    const bool postman = probe.is_object() && (probe.contains("item") || probe.contains("info"));
    if (postman) {
        oauth::PostmanImportResult result = oauth::ImportPostmanCollection(text, defaultRedirectUrl());
        if (!result.ok()) {
            state_.status = "Nothing imported from " + name + ": " + result.error;
            return;
        }
        std::string added;
        for (Profile p : result.profiles) {
            p.tokenName = UniqueName(state_, p.tokenName);
            added += (added.empty() ? "" : ", ") + p.tokenName;
            state_.profiles.push_back(std::move(p));
        }
        // select() clears the status line: select first, then report.
        if (!result.profiles.empty())
            select(static_cast<int>(state_.profiles.size()) - 1);
        state_.status = "Imported " + std::to_string(result.profiles.size()) + " profile" +
                        (result.profiles.size() == 1 ? "" : "s") + " from the Postman collection " + name +
                        (added.empty() ? "." : ": " + added + ".");
        for (const std::string& w : result.warnings)
            state_.status += " " + w;
        for (Profile& p : state_.profiles)
            if (!store_.lockSet()) // locked: the tokens are sealed, not missing
                ClearConnectedWithoutToken(p);
        save();
        return;
    }
    oauth::ImportResult result = oauth::ImportProfiles(text, state_.profiles);
    if (!result.ok()) {
        state_.status = "Nothing imported from " + name + ": " + result.error;
        return;
    }
    for (Profile& p : state_.profiles)
        if (!store_.lockSet()) // locked: the tokens are sealed, not missing
            ClearConnectedWithoutToken(p);
    select(state_.selected);
    state_.status = result.Report();
    state_.droppedOnImport = std::move(result.dropped);
    save();
}

// The person confirmed that the credentials an import dropped belong to the new endpoint too.
void Controller::keepDroppedCredentials() {
    for (const oauth::DroppedCredentials& d : state_.droppedOnImport)
        for (Profile& p : state_.profiles)
            if (p.tokenName == d.tokenName) {
                if (p.clientSecret.empty())
                    p.clientSecret = d.clientSecret;
                if (p.password.empty())
                    p.password = d.password;
                if (!p.lastToken.is_object())
                    p.lastToken = d.lastToken;
            }
    state_.status = "Kept the previous secret, password and tokens of " +
                    std::to_string(state_.droppedOnImport.size()) + " imported profile" +
                    (state_.droppedOnImport.size() == 1 ? "." : "s.");
    state_.droppedOnImport.clear();
    save();
}

void Controller::newFromPreset(const std::string& id) {
    const oauth::Preset* preset = oauth::FindPreset(id);
    if (!preset)
        return;
    state_.profiles.push_back(
        oauth::ProfileFromPreset(*preset, UniqueName(state_, preset->name), defaultRedirectUrl()));
    select(static_cast<int>(state_.profiles.size()) - 1);
    save();
}

// RFC 7009 section 2.2: a 200 means the token is no longer valid. A revoked access token is marked
// (no countdown, no auto-refresh, no stale introspection) and the profile is no longer Connected;
// a revoked refresh token is dropped, so Refresh is no longer offered.
void Controller::markRevoked(Profile& profile, const std::string& which, const std::string& token) {
    if (!profile.lastToken.is_object() || profile.lastToken.value(which, std::string()) != token)
        return; // a newer token arrived meanwhile
    if (which == oauth::kTokenTypeHintRefreshToken) {
        profile.lastToken.erase("refresh_token");
    } else {
        profile.lastToken[kRevokedAtKey] = static_cast<std::int64_t>(std::floor(platform_.now()));
        profile.state.clear();
        profile.lastError.clear();
        state_.introspectionText.clear();
        StampOutcome(parts_, profile);
    }
    save();
}

// The placeholder form's Apply: each value typed goes into every URL of the profile.
void Controller::fillPlaceholders() {
    Profile* p = state_.current();
    if (!p)
        return;
    state_.placeholderError.clear();
    std::string filled;
    const Profile before = *p;
    for (const std::string& name : oauth::PlaceholdersInUrls(*p)) {
        const std::string value = state_.placeholderDrafts[name];
        if (auto problem = oauth::CheckPlaceholderValue(name, value)) {
            if (state_.placeholderError.empty() && !value.empty())
                state_.placeholderError = *problem;
            continue;
        }
        oauth::FillPlaceholder(*p, name, value);
        filled += (filled.empty() ? "{" : ", {") + name + "} = " + value;
        state_.placeholderDrafts.erase(name);
    }
    if (filled.empty()) {
        if (state_.placeholderError.empty() && !oauth::PlaceholdersInUrls(*p).empty())
            state_.placeholderError =
                *oauth::CheckPlaceholderValue(oauth::PlaceholdersInUrls(*p).front(), "");
        return;
    }
    int fields = 0; // URLs changed, each counted once whatever it held
    for (auto field : {&Profile::authorizationUrl, &Profile::accessTokenUrl, &Profile::deviceAuthorizationUrl,
                       &Profile::revocationUrl, &Profile::introspectionUrl, &Profile::discoveryUrl,
                       &Profile::redirectUrl, &Profile::issuer})
        fields += before.*field != p->*field ? 1 : 0;
    state_.discovery.reset();
    state_.discoveryWarnings.clear();
    state_.status =
        "Filled " + filled + " in " + std::to_string(fields) + " URL" + (fields == 1 ? "" : "s") + ".";
    save();
}

} // namespace app
