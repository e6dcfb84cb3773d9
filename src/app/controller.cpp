#include "app/controller.h"

#include "app/controller_detail.h"

#include "core/device_authorization.h"
#include "core/export_postman.h"
#include "core/presets.h"
#include "core/profile_merge.h"
#include "core/provider_errors.h"
#include "core/storage.h"
#include "core/validation.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace app {

using detail::fileNameFor;
using detail::grantCaption;
using detail::lower;

using oauth::Profile;

// "Connected" means this profile holds a token: one stored or imported without its token is
// Default (empty), never Connected.
void ClearConnectedWithoutToken(Profile& p) {
    if (p.state == oauth::kStateConnected && !p.lastToken.is_object())
        p.state.clear();
}

std::string Controller::defaultRedirectUrl() const {
    std::string page = platform_.pageUrl();
    auto slash = page.rfind('/');
    return (slash == std::string::npos ? page + "/" : page.substr(0, slash + 1)) + "callback.html";
}

Profile Controller::newProfile(const std::string& name) const {
    Profile p;
    p.tokenName = name;
    p.redirectUrl = defaultRedirectUrl();
    return p;
}

std::string Controller::uniqueName(const std::string& base) const {
    auto taken = [&](const std::string& name) {
        for (const Profile& p : state_.profiles)
            if (lower(p.tokenName) == lower(name))
                return true;
        return false;
    };
    if (!taken(base))
        return base;
    for (int n = 2;; ++n) {
        std::string name = base + " " + std::to_string(n);
        if (!taken(name))
            return name;
    }
}

std::vector<std::string> Controller::otherNames(int index) const {
    std::vector<std::string> names;
    for (int i = 0; i < static_cast<int>(state_.profiles.size()); ++i)
        if (i != index)
            names.push_back(state_.profiles[i].tokenName);
    return names;
}

void Controller::load() {
    std::optional<std::string> text = platform_.loadText(kStorageKey);
    oauth::StorageDocument doc = oauth::DecodeDocument(text.value_or(""));
    state_.profiles = doc.profiles;
    lastStoredText_ = text.value_or("");
    if (auto lock = doc.unknownKeys.find("lock"); lock != doc.unknownKeys.end()) {
        lock_ = oauth::LockFromJson(*lock);
        if (lock_) {
            state_.lockEnabled = state_.locked = true;
        } else {
            // Never replace sealed secrets the page cannot read.
            mayOverwrite_ = false;
            state_.storageBanner = "The stored passphrase lock is unreadable, so this page does not save "
                                   "changes; the stored text is left as it is.";
        }
        doc.unknownKeys.erase("lock");
    }
    storedUnknownKeys_ = doc.unknownKeys;
    // Whatever could not be read as it was (broken, newer, wrong types) is backed up before the
    // first save may replace it. A backup key never gets overwritten with other text, and the
    // same text is not backed up twice.
    const bool unreadable = oauth::MustNotOverwrite(doc);
    if (unreadable || !doc.problems.empty()) {
        bool backedUp = false;
        backupKey_.clear();
        std::vector<std::string> keys = platform_.storageKeys(kBackupKey);
        keys.insert(keys.begin(), kBackupKey);
        for (const std::string& key : keys) {
            std::optional<std::string> existing = platform_.loadText(key);
            if (existing && *existing == doc.rawText) {
                backupKey_ = key;
                backedUp = true;
                break;
            }
        }
        if (!backedUp) {
            backupKey_ = kBackupKey;
            if (platform_.loadText(backupKey_))
                backupKey_ += ":" + std::to_string(static_cast<std::int64_t>(platform_.now()));
            backedUp = platform_.saveText(backupKey_, doc.rawText).ok;
        }
        if (unreadable)
            mayOverwrite_ = backedUp;
        state_.hasBackup = backedUp;
        state_.storageBanner =
            doc.message +
            (backedUp ? " The stored text was kept under the key \"" + backupKey_ + "\"; download it below."
             : unreadable ? " It could not be backed up, so changes are not saved."
                          : "");
    }
    for (Profile& p : state_.profiles)
        if (!lock_) // locked: the tokens are sealed, not missing
            ClearConnectedWithoutToken(p);
    if (state_.profiles.empty())
        state_.profiles.push_back(newProfile("New Profile"));
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
    state_.selected = 0;
    if (std::optional<std::string> name = platform_.loadText(kSelectedKey)) {
        for (size_t i = 0; i < state_.profiles.size(); ++i)
            if (state_.profiles[i].tokenName == *name)
                state_.selected = static_cast<int>(i);
    }
    state_.nameDraft = state_.profiles[state_.selected].tokenName;
}

void Controller::assignIds() {
    oauth::AssignProfileIds(state_.profiles,
                            [this](std::uint8_t* out, std::size_t n) { platform_.randomBytes(out, n); });
}

void Controller::save() {
    if (!mayOverwrite_)
        return;
    assignIds();
    bumpRevisions();
    if (!lock_) {
        // Another tab may have saved since this one last did (its 'storage' event can still be on
        // its way): merge it first, so this write never drops the other tab's changes.
        std::optional<std::string> current = platform_.loadText(kStorageKey);
        if (current && *current != lastStoredText_) {
            mergeStored(*current);
            lastStoredText_ = *current;
        }
    }
    if (!lock_ || state_.locked) {
        // Locked: the profiles in memory carry no secrets; the sealed ones stay as they were.
        writeDocument(lock_ ? oauth::WithoutSecrets(state_.profiles) : state_.profiles);
        return;
    }
    const int seq = ++saveSeq_;
    const std::vector<Profile> profiles = state_.profiles;
    platform_.seal(oauth::SecretsOf(profiles), [this, seq, stripped = oauth::WithoutSecrets(profiles)](
                                                   bool ok, std::string iv, std::string ciphertext) {
        if (seq != saveSeq_ || !lock_)
            return; // a newer save is on its way
        if (!ok) {
            state_.storageBanner =
                "Changes are not saved: the secrets could not be encrypted in this browser.";
            return;
        }
        lock_->iv = std::move(iv);
        lock_->ciphertext = std::move(ciphertext);
        writeDocument(stripped);
    });
}

void Controller::writeDocument(const std::vector<Profile>& profiles) {
    oauth::StorageDocument doc;
    doc.profiles = profiles;
    doc.unknownKeys = storedUnknownKeys_;
    if (lock_)
        doc.unknownKeys["lock"] = oauth::LockToJson(*lock_);
    std::string text = oauth::EncodeDocument(doc);
    platform::StorageWrite w = platform_.saveText(kStorageKey, text);
    if (w.ok)
        lastStoredText_ = std::move(text);
    if (const Profile* p = state_.current())
        platform_.saveText(kSelectedKey, p->tokenName);
    if (!w.ok)
        state_.storageBanner = "Changes are not saved: the browser refused to store them (" + w.error +
                               "). They stay on this page until it is closed.";
    else if (state_.storageBanner.rfind("Changes are not saved", 0) == 0)
        state_.storageBanner.clear();
}

void Controller::applyIntents() {
    std::vector<Intent> intents;
    intents.swap(state_.intents);
    for (const Intent& intent : intents)
        apply(intent);
}

void Controller::select(int index) {
    if (index < 0 || index >= static_cast<int>(state_.profiles.size()))
        return;
    state_.selected = index;
    state_.nameDraft = state_.profiles[index].tokenName;
    state_.nameError.clear();
    state_.errorDetails.clear();
    state_.rawResponse.clear();
    state_.popupBlocked = false;
    state_.offerRelayRetry = state_.offerUnencodedRetry = false;
    state_.confirmDelete = false;
    state_.touched.clear();
    state_.showAllErrors = false;
    state_.placeholderDrafts.clear();
    state_.placeholderError.clear();
    state_.copied.clear();
    if (state_.attempt.busy == Busy::None)
        state_.status.clear();
    platform_.saveText(kSelectedKey, state_.profiles[index].tokenName);
}

void Controller::rename(const std::string& typed) {
    state_.nameDraft = typed;
    Profile* p = state_.current();
    if (!p)
        return;
    Profile candidate = *p;
    candidate.tokenName = typed;
    state_.nameError.clear();
    for (const oauth::FieldError& e : oauth::ValidateProfile(candidate, otherNames(state_.selected)))
        if (e.field == "tokenName")
            state_.nameError = e.message;
    if (!state_.nameError.empty())
        return;
    if (state_.attempt.profileName == p->tokenName)
        state_.attempt.profileName = typed;
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
        state_.profiles.push_back(newProfile(uniqueName("New Profile")));
        select(static_cast<int>(state_.profiles.size()) - 1);
        save();
        break;
    case Intent::NewFromPreset:
        newFromPreset(intent.text);
        break;
    case Intent::Duplicate:
        if (p) {
            Profile copy = *p;
            copy.tokenName = uniqueName(p->tokenName + " copy");
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
            if (state_.attempt.profileName == state_.profiles[intent.index].tokenName)
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
        if (state_.attempt.busy != Busy::None) {
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
        setPassphrase();
        break;
    case Intent::Unlock:
        unlock();
        break;
    case Intent::LockNow:
        lockNow();
        break;
    case Intent::RemovePassphrase:
        removePassphrase();
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
        if (std::optional<std::string> raw = platform_.loadText(backupKey_))
            platform_.downloadFile("oauth-setup-unreadable-storage.txt", "text/plain", *raw);
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

// ---- Several tabs ------------------------------------------------------------------------------

// A three-way merge by Token Name against what this tab last stored: a profile only the other tab
// changed takes its version, one only this tab changed keeps ours, one both changed keeps ours and
// is reported (then saved, so the other tab sees it too).
void Controller::onStorageChanged(const std::string& key, const std::string& newText) {
    if (key != kStorageKey || newText == lastStoredText_)
        return;
    oauth::StorageDocument theirs = oauth::DecodeDocument(newText);
    if (lock_ || theirs.unknownKeys.contains("lock")) {
        // Sealed secrets cannot be merged without the other tab's key: stop saving here rather
        // than overwrite what the other tab stored.
        mayOverwrite_ = false;
        state_.storageBanner = "Another tab changed the stored profiles while the passphrase lock is on. "
                               "This tab no longer saves: reload it to see and keep editing them.";
        return;
    }
    bumpRevisions(); // edits of this frame not saved yet count as this tab's changes
    if (mergeStored(newText))
        save();
}

// Merges a document another tab stored into this tab's profiles (oauth::MergeProfiles). Returns
// true when this tab has changes the stored document lacks (they must be saved back).
bool Controller::mergeStored(const std::string& newText) {
    oauth::StorageDocument theirs = oauth::DecodeDocument(newText);
    if (theirs.status != oauth::DocumentStatus::Ok && theirs.status != oauth::DocumentStatus::Empty)
        return false;
    oauth::StorageDocument base = oauth::DecodeDocument(lastStoredText_);
    const std::string selectedName = state_.current() ? state_.current()->tokenName : "";
    oauth::MergeResult merged = oauth::MergeProfiles(base.profiles, state_.profiles, theirs.profiles);
    if (merged.profiles.empty())
        merged.profiles.push_back(newProfile("New Profile"));
    state_.profiles = std::move(merged.profiles);
    lastStoredText_ = newText;
    state_.selected = 0;
    for (size_t i = 0; i < state_.profiles.size(); ++i)
        if (state_.profiles[i].tokenName == selectedName)
            state_.selected = static_cast<int>(i);
    if (state_.current() && state_.current()->tokenName != selectedName)
        select(state_.selected);
    if (!merged.conflicts.empty()) {
        std::string names;
        for (const std::string& n : merged.conflicts)
            names += (names.empty() ? "\"" : ", \"") + n + "\"";
        state_.storageBanner =
            "Changed in another tab at the same time: " + names + ". This tab's version was kept and saved.";
    }
    return merged.mineKept || !merged.conflicts.empty();
}

// Every profile this tab changed since it last read or wrote storage gets the next revision.
void Controller::bumpRevisions() {
    oauth::BumpRevisions(state_.profiles, oauth::DecodeDocument(lastStoredText_).profiles);
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

std::string Controller::withProviderFix(const Profile& profile, const std::string& message,
                                        const oauth::Details& details) const {
    std::string code, description;
    for (const oauth::Detail& d : details) {
        if (d.label == "error")
            code = d.value;
        else if (d.label == "error_description")
            description = d.value;
    }
    if (code.empty() && description.empty())
        return message;
    // The preset decides (its URLs may point elsewhere); a profile made by hand is known by its host.
    std::string fix = oauth::ProviderFix(profile.preset, code, description);
    for (const std::string* url : {&profile.accessTokenUrl, &profile.authorizationUrl})
        if (fix.empty() && profile.preset.empty())
            fix = oauth::ProviderFix(*url, code, description);
    return fix.empty() || message.find(fix) != std::string::npos ? message : message + " " + fix;
}

void Controller::stampOutcome(const Profile& profile) {
    state_.outcomeAt[profile.tokenName] = platform_.now();
}

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
