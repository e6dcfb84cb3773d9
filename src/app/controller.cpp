#include "app/controller.h"

#include "app/controller_detail.h"

#include "core/device_authorization.h"
#include "core/export_postman.h"
#include "core/presets.h"
#include "core/provider_errors.h"
#include "core/storage.h"
#include "core/validation.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace app {

using detail::fileNameFor;

using oauth::Profile;

void Controller::load() {
    store_.load();
    if (std::optional<std::string> timeout = platform_.loadText(kTimeoutKey)) {
        int seconds = std::atoi(timeout->c_str());
        if (seconds >= 1 && seconds <= 600)
            state_.timeoutSeconds = seconds;
    }
    if (std::optional<std::string> consent = platform_.loadText(kConsentTimeoutKey)) {
        int seconds = std::atoi(consent->c_str());
        if (seconds >= kMinConsentTimeout && seconds <= kMaxConsentTimeout)
            state_.consentTimeoutSeconds = seconds;
    }
}

void Controller::applyIntents() {
    std::vector<Intent> intents;
    intents.swap(state_.intents);
    for (const Intent& intent : intents)
        apply(intent);
}

void Controller::rename(const std::string& typed) {
    state_.nameDraft = typed;
    Profile* p = state_.current();
    if (!p)
        return;
    Profile candidate = *p;
    candidate.tokenName = typed;
    state_.nameError.clear();
    for (const oauth::FieldError& e : oauth::ValidateProfile(candidate, OtherNames(state_, state_.selected)))
        if (e.field == "tokenName")
            state_.nameError = e.message;
    if (!state_.nameError.empty())
        return;
    for (GrantSession* session : {session_.get(), closed_.get()})
        if (session && session->profileName() == p->tokenName)
            session->renamed(typed);
    if (auto at = state_.outcomeAt.find(p->tokenName); at != state_.outcomeAt.end()) {
        const double when = at->second;
        state_.outcomeAt.erase(at);
        state_.outcomeAt[typed] = when;
    }
    p->tokenName = typed;
    save();
}

void Controller::apply(const Intent& intent) {
    oauth::Profile* p = state_.current();
    if (intent.kind != Intent::Copy && intent.kind != Intent::CopyCurl &&
        intent.kind != Intent::CopyExchangeCurl)
        state_.copied.clear(); // "Copied" lasts until the next action
    switch (intent.kind) {
    case Intent::Select:
        select(static_cast<int>(intent.index));
        break;
    case Intent::New:
        state_.profiles.push_back(newProfile(UniqueName(state_, "New Profile")));
        select(static_cast<int>(state_.profiles.size()) - 1);
        save();
        break;
    case Intent::NewFromPreset:
        newFromPreset(intent.text);
        break;
    case Intent::Duplicate:
        if (p) {
            Profile copy = *p;
            copy.tokenName = UniqueName(state_, p->tokenName + " copy");
            copy.state.clear();
            copy.lastToken = nullptr;
            copy.lastError.clear();
            state_.profiles.push_back(copy);
            select(static_cast<int>(state_.profiles.size()) - 1);
            save();
        }
        break;
    case Intent::Delete:
        if (intent.index >= 0 && intent.index < static_cast<std::int64_t>(state_.profiles.size())) {
            if (running() && session_->profileName() == state_.profiles[intent.index].tokenName)
                endAttempt();
            state_.profiles.erase(state_.profiles.begin() + intent.index);
            if (state_.profiles.empty())
                state_.profiles.push_back(newProfile("New Profile"));
            select(std::min(static_cast<int>(intent.index), static_cast<int>(state_.profiles.size()) - 1));
            save();
        }
        break;
    case Intent::Rename:
        rename(intent.text);
        break;
    case Intent::Edited:
        save();
        break;
    case Intent::GetToken:
    case Intent::RetryPopup: {
        // A new attempt replaces the previous one's flow diagram and results; one that was not
        // sent ("Not sent: ...") hides them too, so nothing older looks like its result.
        const int before = state_.log.attempt;
        state_.introspectionText.clear();
        startGrant();
        if (state_.log.attempt == before)
            state_.flowHiddenUpTo = state_.log.attempt;
        break;
    }
    case Intent::FillPlaceholders:
        fillPlaceholders();
        break;
    case Intent::Cancel:
        if (running()) {
            endAttempt();
            state_.status = "Cancelled.";
        }
        break;
    case Intent::Refresh:
        refresh();
        break;
    case Intent::Copy:
        copy(intent.index, intent.text);
        break;
    case Intent::CopyCurl:
        copyCurl();
        break;
    case Intent::DownloadPostman:
        if (p) {
            oauth::PostmanExportOptions options;
            options.includeSecrets = state_.revealInExports;
            // The provider's UserInfo lets the collection use its token; only the same provider's.
            if (state_.discovery && state_.discovery->metadata.tokenEndpoint == p->accessTokenUrl)
                options.userinfoUrl = state_.discovery->metadata.userinfoEndpoint;
            platform_.downloadFile(fileNameFor(p->tokenName), "application/json",
                                   oauth::ExportPostmanCollection(*p, options));
            state_.status = "Postman collection downloaded" +
                            std::string(state_.revealInExports ? " (with secrets)." : " (secrets left out).");
        }
        break;
    case Intent::Discover:
        discover();
        break;
    case Intent::AddScope:
        if (p) {
            p->scopes +=
                (p->scopes.empty() || p->scopes.back() == ' ' || p->scopes.back() == '\n' ? "" : " ") +
                intent.text;
            save();
        }
        break;
    case Intent::Revoke:
        revoke(intent.text);
        break;
    case Intent::Introspect:
        introspect();
        break;
    case Intent::OpenUrl: { // the device grant's verification page: only https, or http on loopback
        const oauth::UrlReader browser = platform::UrlReaderOf(platform_);
        if (auto refused = oauth::RefuseToOpenVerificationUri(intent.text, &browser); !refused)
            platform_.openInNewTab(intent.text);
        else
            state_.status = *refused;
        break;
    }
    case Intent::ExportAll:
        exportAll();
        break;
    case Intent::SetPassphrase:
        store_.setPassphrase();
        break;
    case Intent::Unlock:
        store_.unlock();
        break;
    case Intent::LockNow:
        lockNow();
        break;
    case Intent::RemovePassphrase:
        store_.removePassphrase();
        break;
    case Intent::TimeoutChanged:
        state_.timeoutSeconds = std::clamp(state_.timeoutSeconds, 1, 600);
        platform_.saveText(kTimeoutKey, std::to_string(state_.timeoutSeconds));
        break;
    case Intent::ConsentTimeoutChanged:
        state_.consentTimeoutSeconds =
            std::clamp(state_.consentTimeoutSeconds, kMinConsentTimeout, kMaxConsentTimeout);
        platform_.saveText(kConsentTimeoutKey, std::to_string(state_.consentTimeoutSeconds));
        break;
    case Intent::RetryThroughRelay:
    case Intent::RetryUnencoded:
        if (p) {
            (intent.kind == Intent::RetryThroughRelay ? p->useRelay : p->basicUnencoded) = true;
            save();
            startGrant();
        }
        break;
    case Intent::DownloadBackup:
        store_.downloadBackup();
        break;
    case Intent::Import:
        platform_.pickTextFile([this](std::string name, std::string text) { importFile(name, text); });
        break;
    case Intent::KeepDroppedCredentials:
        keepDroppedCredentials();
        break;
    case Intent::CopyExchangeCurl:
        if (const oauth::ExchangeEntry* e =
                oauth::FindExchange(state_.log, static_cast<std::uint64_t>(intent.index))) {
            platform_.copyToClipboard(oauth::ExchangeEntryAsCurl(*e, state_.revealLog));
            state_.status = "Copied the request as a cURL command" +
                            std::string(state_.revealLog ? " (with secrets)." : " (secrets masked).");
            state_.copied = "log:" + std::to_string(intent.index);
        }
        break;
    }
}

// Lock Now: the store seals and drops the secrets; everything else that can show a secret or a
// token goes too: the exchange log (revealable), the raw response, the introspection answer, error
// details, a closed attempt's verifier, and what the last import dropped.
void Controller::lockNow() {
    if (!store_.lockSet() || state_.locked)
        return;
    endAttempt();
    session_.reset(); // its copy of the profile holds the secrets
    store_.lockNow();
    state_.log = oauth::ExchangeLog{};
    state_.revealLog = false;
    state_.rawResponse.clear();
    state_.introspectionText.clear();
    state_.errorDetails.clear();
    state_.droppedOnImport.clear();
    closed_.reset();
}

void Controller::onStorageChanged(const std::string& key, const std::string& newText) {
    store_.onStorageChanged(key, newText);
}

// ---- Reading state out -----------------------------------------------------------------------

std::string Controller::snapshotJson() const {
    nlohmann::json profiles = nlohmann::json::array();
    for (const Profile& p : state_.profiles)
        profiles.push_back(oauth::ProfileToJson(p));
    const Profile* p = const_cast<AppState&>(state_).current();
    // The exchange log as the page shows it: masked unless revealed.
    nlohmann::json log = nlohmann::json::array();
    for (const oauth::ExchangeEntry& e : state_.log.entries)
        log.push_back({{"step", e.step},
                       {"attempt", e.attempt},
                       {"summary", oauth::ExchangeEntrySummary(e)},
                       {"text", ClipForDisplay(oauth::FormatExchangeEntry(e, state_.revealLog))},
                       {"failed", e.failed},
                       {"finished", e.finished}});
    nlohmann::json flow = nlohmann::json::array();
    if (p && state_.log.attempt > state_.flowHiddenUpTo)
        for (const oauth::FlowStepStatus& f :
             oauth::DescribeFlow(state_.flowGrantType(), state_.log, state_.attempt.busy != Busy::None,
                                 p->state == oauth::kStateError))
            flow.push_back({{"label", f.label}, {"state", oauth::FlowStateName(f.state)}});
    nlohmann::json out = {
        {"profiles", profiles},
        {"selected", p ? p->tokenName : ""},
        {"status", state_.status},
        {"busy", state_.attempt.busy != Busy::None},
        {"state", p ? p->state : ""},
        {"error", p ? p->lastError : ""},
        {"token", p ? p->lastToken : nlohmann::json()},
        {"storage", state_.storageBanner},
        {"device",
         state_.attempt.busy == Busy::DevicePolling
             ? nlohmann::json{{"userCode", state_.attempt.device.userCode},
                              {"verificationUri", state_.attempt.device.verificationUri},
                              {"verificationUriComplete", state_.attempt.device.verificationUriComplete}}
             : nlohmann::json()},
        {"log", log},
        {"flow", flow},
        {"discoveryWarnings", state_.discoveryWarnings},
        {"introspection", state_.introspectionText},
        {"lock", {{"enabled", state_.lockEnabled}, {"locked", state_.locked}}},
        {"outcome", state_.outcomeText()},
        {"stateAt", p ? state_.outcomeTime(*p) : 0.0},
        {"placeholders", p ? oauth::PlaceholdersInUrls(*p) : std::vector<std::string>{}},
        {"copied", state_.copied},
        {"revoked", p && p->lastToken.is_object() && p->lastToken.contains(kRevokedAtKey)},
        {"hint", state_.consentHint && state_.attempt.busy == Busy::Authorizing ? ConsentHintText() : ""},
        {"offers", {{"relayRetry", state_.offerRelayRetry}, {"unencodedRetry", state_.offerUnencodedRetry}}},
        {"consentTimeout", state_.consentTimeoutSeconds},
    };
    return oauth::DumpJson(out);
}

// ---- Outcomes and copies ---------------------------------------------------------------------

void Controller::copy(std::int64_t what, const std::string& text) {
    platform_.copyToClipboard(text);
    if (what == kCopyRedirectUrl) {
        state_.status = "Copied the Redirect URL: register exactly this at the provider.";
        state_.copied = "Copy URL";
    } else if (what == kCopyAccessToken) {
        state_.status = "Copied the access token itself (not masked): paste it only where it belongs.";
        state_.copied = "Copy Token";
    }
}

} // namespace app
