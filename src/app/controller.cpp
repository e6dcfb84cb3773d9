#include "app/controller.h"

#include "app/signing_key.h"
#include "app/tools.h"

#include "core/device_authorization.h"
#include "core/dpop.h"
#include "core/id_token.h"
#include "core/presets.h"
#include "core/storage.h"
#include "core/validation.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace app {

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
    if (auto run = state_.observed.extract(p->tokenName))
        state_.observed[typed] = std::move(run.mapped());
    if (state_.discoveredFor == p->tokenName)
        state_.discoveredFor = typed;
    p->tokenName = typed;
    store_.markEdited(); // typed key by key, like any field: written once the burst ends
}

bool Controller::flushEdits() {
    const std::string banner = state_.storageBanner;
    return store_.flush() && state_.storageBanner != banner;
}

// Each intent goes to the part that owns its concern; the first router that knows it applies it.
void Controller::apply(const Intent& intent) {
    // Everything but typing acts on the saved state (a grant, the lock, exports, a selection), so
    // the edits before it are written first.
    if (intent.kind != Intent::Edited && intent.kind != Intent::Rename)
        store_.flush();
    if (intent.kind != Intent::Copy && intent.kind != Intent::CopyCurl &&
        intent.kind != Intent::CopyExchangeCurl)
        state_.copied.clear(); // "Copied" lasts until the next action
    applyProfileIntent(intent) || applyGrantIntent(intent) || applyToolIntent(intent) ||
        applySettingIntent(intent);
}

bool Controller::applyProfileIntent(const Intent& intent) {
    switch (intent.kind) {
    case Intent::Select:
        select(static_cast<int>(intent.index));
        return true;
    case Intent::New:
        addProfile(newProfile(UniqueName(state_, "New Profile")));
        return true;
    case Intent::Duplicate:
        if (const Profile* p = state_.current()) {
            Profile copy = *p;
            copy.tokenName = UniqueName(state_, p->tokenName + " copy");
            copy.state = oauth::ProfileState::None;
            copy.lastToken = nullptr;
            copy.lastError.clear();
            addProfile(copy);
        }
        return true;
    case Intent::Delete:
        deleteProfile(intent.index);
        return true;
    case Intent::Rename:
        rename(intent.text);
        return true;
    case Intent::Edited:
        store_.markEdited();
        return true;
    case Intent::AddScope:
        if (Profile* p = state_.current()) {
            const bool separated = p->scopes.empty() || p->scopes.back() == ' ' || p->scopes.back() == '\n';
            p->scopes += (separated ? "" : " ") + intent.text;
            save();
        }
        return true;
    default:
        return false;
    }
}

void Controller::addProfile(const Profile& profile) {
    state_.profiles.push_back(profile);
    select(static_cast<int>(state_.profiles.size()) - 1);
    save();
}

void Controller::deleteProfile(std::int64_t index) {
    if (index < 0 || index >= static_cast<std::int64_t>(state_.profiles.size()))
        return;
    if (running() && session_->profileName() == state_.profiles[static_cast<std::size_t>(index)].tokenName)
        endAttempt();
    // Its DPoP key goes with it (RFC 9449 section 2: a key per client instance).
    platform_.forgetDpopKey(oauth::DpopKeyName(state_.profiles[static_cast<std::size_t>(index)]));
    state_.profiles.erase(state_.profiles.begin() + static_cast<std::ptrdiff_t>(index));
    if (state_.profiles.empty())
        state_.profiles.push_back(newProfile("New Profile"));
    select(std::min(static_cast<int>(index), static_cast<int>(state_.profiles.size()) - 1));
    save();
}

bool Controller::applyGrantIntent(const Intent& intent) {
    switch (intent.kind) {
    case Intent::GetToken:
    case Intent::RetryPopup: {
        // A new attempt replaces the previous one's flow diagram and results; one that was not
        // sent ("Not sent: ...") hides them too, so nothing older looks like its result.
        const int before = state_.log.attempt;
        state_.introspectionText.clear();
        state_.userinfoText.clear();
        startGrant();
        if (state_.log.attempt == before)
            state_.flowHiddenUpTo = state_.log.attempt;
        return true;
    }
    case Intent::Cancel:
        if (running()) {
            endAttempt();
            state_.status = "Cancelled.";
        }
        return true;
    case Intent::Refresh:
        refresh();
        return true;
    case Intent::RetryThroughRelay:
    case Intent::RetryUnencoded:
        if (Profile* p = state_.current()) {
            (intent.kind == Intent::RetryThroughRelay ? p->useRelay : p->basicUnencoded) = true;
            save();
            startGrant();
        }
        return true;
    default:
        return false;
    }
}

bool Controller::applyToolIntent(const Intent& intent) {
    switch (intent.kind) {
    case Intent::NewFromPreset:
        return NewFromPreset(parts_, intent.text), true;
    case Intent::FillPlaceholders:
        return FillPlaceholders(parts_), true;
    case Intent::Copy:
        return CopyText(parts_, intent.index, intent.text), true;
    case Intent::CopyCurl:
        return CopyCurl(parts_), true;
    case Intent::CopyExchangeCurl:
        return CopyExchangeCurl(parts_, static_cast<std::uint64_t>(intent.index)), true;
    case Intent::DownloadPostman:
        return DownloadPostman(parts_), true;
    case Intent::Discover:
        return Discover(parts_), true;
    case Intent::Revoke:
        return Revoke(parts_, intent.text), true;
    case Intent::Introspect:
        return Introspect(parts_), true;
    case Intent::GenerateSigningKey:
        return GenerateSigningKey(parts_), true;
    case Intent::ShowPublicKey:
        return ShowPublicKey(parts_), true;
    case Intent::CallUserinfo:
        return CallUserinfo(parts_), true;
    case Intent::SignOut:
        return SignOutAtProvider(parts_), true;
    case Intent::OpenUrl:
        return openVerificationPage(intent.text), true;
    case Intent::ExportAll:
        return ExportAll(parts_), true;
    case Intent::Import:
        platform_.pickTextFile(
            [this](std::string name, std::string text) { ImportFile(parts_, name, text); });
        return true;
    case Intent::KeepDroppedCredentials:
        return KeepDroppedCredentials(parts_), true;
    default:
        return false;
    }
}

// The device grant's verification page, in a new tab: only https, or http on loopback.
void Controller::openVerificationPage(const std::string& url) {
    const oauth::UrlReader browser = platform::UrlReaderOf(platform_);
    if (auto refused = oauth::RefuseToOpenVerificationUri(url, &browser); !refused)
        platform_.openInNewTab(url);
    else
        state_.status = *refused;
}

bool Controller::applySettingIntent(const Intent& intent) {
    switch (intent.kind) {
    case Intent::SetPassphrase:
        return store_.setPassphrase(), true;
    case Intent::Unlock:
        return store_.unlock(), true;
    case Intent::LockNow:
        return lockNow(), true;
    case Intent::RemovePassphrase:
        return store_.removePassphrase(), true;
    case Intent::DownloadBackup:
        return store_.downloadBackup(), true;
    case Intent::TimeoutChanged:
        state_.timeoutSeconds = std::clamp(state_.timeoutSeconds, 1, 600);
        platform_.saveText(kTimeoutKey, std::to_string(state_.timeoutSeconds));
        return true;
    case Intent::ConsentTimeoutChanged:
        state_.consentTimeoutSeconds =
            std::clamp(state_.consentTimeoutSeconds, kMinConsentTimeout, kMaxConsentTimeout);
        platform_.saveText(kConsentTimeoutKey, std::to_string(state_.consentTimeoutSeconds));
        return true;
    default:
        return false;
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
    state_.userinfoText.clear();
    state_.errorDetails.clear();
    state_.droppedOnImport.clear();
    closed_.reset();
}

void Controller::onStorageChanged(const std::string& key, const std::string& newText) {
    store_.onStorageChanged(key, newText);
}

// ---- Reading state out -----------------------------------------------------------------------

namespace {

// {"verified", "message"} about the selected profile's ID token; null when it has none.
nlohmann::json IdTokenSnapshot(const AppState& state, const oauth::Profile* p) {
    if (!p || !p->lastToken.is_object() || !p->lastToken.value("id_token", nlohmann::json()).is_string())
        return nullptr;
    const IdTokenCheck* check =
        state.idTokenCheckFor(oauth::AccessTokenHash(p->lastToken["id_token"].get<std::string>()));
    return {{"verified", check && check->verified},
            {"message", check ? check->message : std::string(kIdTokenNotChecked)}};
}

} // namespace

namespace {

std::string DpopThumbprintOf(const AppState& state, const oauth::Profile& profile) {
    const auto it = state.dpopThumbprints.find(oauth::DpopKeyName(profile));
    return it == state.dpopThumbprints.end() ? std::string() : it->second;
}

} // namespace

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
                                 p->state == oauth::ProfileState::Error))
            flow.push_back({{"label", f.label}, {"state", oauth::FlowStateName(f.state)}});
    // The setup check as the panel lists it (core/setup_check.h).
    nlohmann::json setupCheck = nlohmann::json::array();
    for (const oauth::SetupCheckRow& row : state_.setupCheck())
        setupCheck.push_back({{"rule", row.rule},
                              {"section", row.section},
                              {"verdict", oauth::ToText(row.verdict)},
                              {"sentence", row.sentence}});
    nlohmann::json out = {
        {"profiles", profiles},
        {"selected", p ? p->tokenName : ""},
        {"status", state_.status},
        {"busy", state_.attempt.busy != Busy::None},
        {"state", p ? oauth::ToText(p->state) : ""},
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
        {"userinfo", state_.userinfoText},
        {"parNote", state_.parNote()},
        {"idToken", IdTokenSnapshot(state_, p)},
        {"lock", {{"enabled", state_.lockEnabled}, {"locked", state_.locked}}},
        {"outcome", state_.outcomeText()},
        {"stateAt", p ? state_.outcomeTime(*p) : 0.0},
        {"placeholders", p ? oauth::PlaceholdersInUrls(*p) : std::vector<std::string>{}},
        {"copied", state_.copied},
        {"revoked", p && p->lastToken.is_object() && p->lastToken.contains(kRevokedAtKey)},
        {"hint", state_.consentHint && state_.attempt.busy == Busy::Authorizing ? ConsentHintText() : ""},
        {"offers", {{"relayRetry", state_.offerRelayRetry}, {"unencodedRetry", state_.offerUnencodedRetry}}},
        {"consentTimeout", state_.consentTimeoutSeconds},
        {"setupCheck", setupCheck},
        // The private_key_jwt key section; never the private key itself, only whether there is one.
        {"signingKey",
         {{"present", p && !p->privateKey.empty()},
          {"publicJwk", state_.signingKey.publicJwk},
          {"jwks", state_.signingKey.jwks},
          {"message", state_.signingKey.message},
          {"busy", state_.signingKey.busy}}},
        // DPoP (RFC 9449): the selected profile's key thumbprint ("" until read), never the key.
        {"dpop", {{"thumbprint", p ? DpopThumbprintOf(state_, *p) : ""}}},
    };
    return oauth::DumpJson(out);
}

// ---- Outcomes and copies ---------------------------------------------------------------------

} // namespace app
