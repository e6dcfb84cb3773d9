#include "app/controller.h"

#include "core/authorization_request.h"
#include "core/callback.h"
#include "core/export_curl.h"
#include "core/export_postman.h"
#include "core/storage.h"
#include "core/token_request.h"
#include "core/token_response.h"
#include "core/transport_failure.h"
#include "core/validation.h"

#include <cctype>
#include <cmath>
#include <map>

namespace app {

using oauth::Profile;

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

const char* grantCaption(const std::string& grantType) {
    if (grantType == oauth::kGrantPassword) return "Password Credentials";
    if (grantType == oauth::kGrantClientCredentials) return "Client Credentials";
    return "Authorization Code";
}

std::string fileNameFor(const std::string& tokenName) {
    std::string out;
    for (char c : tokenName) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
    return (out.empty() ? "profile" : out) + ".postman_collection.json";
}

} // namespace

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
            if (lower(p.tokenName) == lower(name)) return true;
        return false;
    };
    if (!taken(base)) return base;
    for (int n = 2;; ++n) {
        std::string name = base + " " + std::to_string(n);
        if (!taken(name)) return name;
    }
}

std::vector<std::string> Controller::otherNames(int index) const {
    std::vector<std::string> names;
    for (int i = 0; i < static_cast<int>(state_.profiles.size()); ++i)
        if (i != index) names.push_back(state_.profiles[i].tokenName);
    return names;
}

void Controller::load() {
    std::optional<std::string> text = platform_.loadText(kStorageKey);
    oauth::StorageDocument doc = oauth::DecodeDocument(text.value_or(""));
    state_.profiles = doc.profiles;
    lastStoredText_ = text.value_or("");
    if (oauth::MustNotOverwrite(doc)) {
        // Keep what could not be read: back it up before the first save may replace it.
        std::optional<std::string> backup = platform_.loadText(kBackupKey);
        bool backedUp = backup && *backup == doc.rawText;
        if (!backedUp) backedUp = platform_.saveText(kBackupKey, doc.rawText).ok;
        mayOverwrite_ = backedUp;
        state_.storageBanner = doc.message + (backedUp ? " The stored text was kept under the key \"" +
                                                             std::string(kBackupKey) + "\"."
                                                       : " It could not be backed up, so changes are not saved.");
    } else if (!doc.problems.empty()) {
        state_.storageBanner = doc.message;
    }
    if (state_.profiles.empty()) state_.profiles.push_back(newProfile("New Profile"));
    state_.selected = 0;
    if (std::optional<std::string> name = platform_.loadText(kSelectedKey)) {
        for (size_t i = 0; i < state_.profiles.size(); ++i)
            if (state_.profiles[i].tokenName == *name) state_.selected = static_cast<int>(i);
    }
    state_.nameDraft = state_.profiles[state_.selected].tokenName;
}

void Controller::save() {
    if (!mayOverwrite_) return;
    std::string text = oauth::EncodeDocument(state_.profiles);
    platform::StorageWrite w = platform_.saveText(kStorageKey, text);
    if (w.ok) lastStoredText_ = std::move(text);
    if (const Profile* p = state_.current()) platform_.saveText(kSelectedKey, p->tokenName);
    if (!w.ok)
        state_.storageBanner = "Changes are not saved: the browser refused to store them (" + w.error +
                               "). They stay on this page until it is closed.";
    else if (state_.storageBanner.rfind("Changes are not saved", 0) == 0)
        state_.storageBanner.clear();
}

void Controller::applyIntents() {
    std::vector<Intent> intents;
    intents.swap(state_.intents);
    for (const Intent& intent : intents) apply(intent);
}

void Controller::select(int index) {
    if (index < 0 || index >= static_cast<int>(state_.profiles.size())) return;
    state_.selected = index;
    state_.nameDraft = state_.profiles[index].tokenName;
    state_.nameError.clear();
    state_.errorDetails.clear();
    state_.rawResponse.clear();
    state_.popupBlocked = false;
    state_.confirmDelete = false;
    state_.touched.clear();
    state_.showAllErrors = false;
    if (state_.attempt.busy == Busy::None) state_.status.clear();
    platform_.saveText(kSelectedKey, state_.profiles[index].tokenName);
}

void Controller::rename(const std::string& typed) {
    state_.nameDraft = typed;
    Profile* p = state_.current();
    if (!p) return;
    Profile candidate = *p;
    candidate.tokenName = typed;
    state_.nameError.clear();
    for (const oauth::FieldError& e : oauth::ValidateProfile(candidate, otherNames(state_.selected)))
        if (e.field == "tokenName") state_.nameError = e.message;
    if (!state_.nameError.empty()) return;
    if (state_.attempt.profileName == p->tokenName) state_.attempt.profileName = typed;
    p->tokenName = typed;
    save();
}

void Controller::apply(const Intent& intent) {
    switch (intent.kind) {
    case Intent::Select: select(intent.index); break;
    case Intent::New:
        state_.profiles.push_back(newProfile(uniqueName("New Profile")));
        select(static_cast<int>(state_.profiles.size()) - 1);
        save();
        break;
    case Intent::Duplicate:
        if (Profile* p = state_.current()) {
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
        if (intent.index >= 0 && intent.index < static_cast<int>(state_.profiles.size())) {
            if (state_.attempt.profileName == state_.profiles[intent.index].tokenName) endAttempt();
            state_.profiles.erase(state_.profiles.begin() + intent.index);
            if (state_.profiles.empty()) state_.profiles.push_back(newProfile("New Profile"));
            select(std::min(intent.index, static_cast<int>(state_.profiles.size()) - 1));
            save();
        }
        break;
    case Intent::Rename: rename(intent.text); break;
    case Intent::Edited: save(); break;
    case Intent::GetToken:
    case Intent::RetryPopup: startGrant(); break;
    case Intent::Cancel:
        if (state_.attempt.busy != Busy::None) {
            endAttempt();
            state_.status = "Cancelled.";
        }
        break;
    case Intent::Refresh: refresh(); break;
    case Intent::Copy: platform_.copyToClipboard(intent.text); break;
    case Intent::CopyCurl:
        if (Profile* p = state_.current()) {
            oauth::HttpRequest req;
            if (p->grantType == oauth::kGrantPassword) req = oauth::BuildPasswordTokenRequest(*p);
            else if (p->grantType == oauth::kGrantClientCredentials) req = oauth::BuildClientCredentialsTokenRequest(*p);
            else req = oauth::BuildAuthorizationCodeTokenRequest(*p, "<authorization code>", "<code verifier>");
            platform_.copyToClipboard(oauth::ExportCurl(req, state_.revealInExports));
            state_.status = "The token request was copied as a cURL command" +
                            std::string(state_.revealInExports ? " (with secrets)." : " (secrets masked).");
        }
        break;
    case Intent::DownloadPostman:
        if (Profile* p = state_.current()) {
            platform_.downloadFile(fileNameFor(p->tokenName), "application/json",
                                   oauth::ExportPostmanCollection(*p, state_.revealInExports));
            state_.status = "Postman collection downloaded" +
                            std::string(state_.revealInExports ? " (with secrets)." : " (secrets left out).");
        }
        break;
    }
}

// ---- Running a grant -----------------------------------------------------------------------

Profile* Controller::attemptProfile() {
    for (Profile& p : state_.profiles)
        if (p.tokenName == state_.attempt.profileName) return &p;
    return nullptr;
}

void Controller::endAttempt() {
    if (state_.attempt.fetchId >= 0) platform_.cancelFetch(state_.attempt.fetchId);
    if (state_.attempt.busy == Busy::Authorizing) platform_.closePopup();
    state_.attempt = Attempt{};
}

void Controller::fail(Profile& profile, const std::string& message, oauth::Details details) {
    profile.state = std::string(oauth::kStateError);
    profile.lastError = message;
    state_.status = message;
    state_.errorDetails = std::move(details);
    save();
}

void Controller::startGrant() {
    Profile* p = state_.current();
    if (!p) return;
    if (state_.attempt.busy != Busy::None) endAttempt();
    state_.popupBlocked = false;
    state_.errorDetails.clear();
    state_.rawResponse.clear();

    std::vector<oauth::FieldError> errors = oauth::ValidateProfile(*p, otherNames(state_.selected));
    if (!errors.empty()) {
        // Nothing is sent: say what is missing. The profile's State is left as it was.
        state_.showAllErrors = true;
        state_.status = "Not sent: " + errors.front().message +
                        (errors.size() > 1 ? " (and " + std::to_string(errors.size() - 1) + " more, marked below)" : "");
        return;
    }
    state_.attempt.profileName = p->tokenName;
    state_.attempt.startedAt = platform_.now();

    if (p->grantType == oauth::kGrantAuthorizationCode) {
        oauth::AuthorizationRequest req = oauth::BuildAuthorizationRequest(
            *p, [this](std::uint8_t* out, std::size_t n) { platform_.randomBytes(out, n); });
        if (!req.ok()) {
            state_.status = "Not sent: " + req.errors.front().message;
            state_.attempt = Attempt{};
            return;
        }
        state_.attempt.state = req.state;
        state_.attempt.codeVerifier = req.codeVerifier;
        state_.attempt.authorizationUrl = req.url;
        if (!platform_.openPopup(req.url)) {
            state_.popupBlocked = true;
            state_.status = "The browser blocked the consent popup. Allow popups for this page, then press Retry.";
            state_.attempt = Attempt{};
            return;
        }
        state_.attempt.busy = Busy::Authorizing;
        state_.status = "Waiting for you to sign in and consent in the popup window…";
        return;
    }
    oauth::HttpRequest request = p->grantType == oauth::kGrantPassword ? oauth::BuildPasswordTokenRequest(*p)
                                                                      : oauth::BuildClientCredentialsTokenRequest(*p);
    sendTokenRequest(request, std::string("Requesting a token (") + grantCaption(p->grantType) + ")…");
}

void Controller::refresh() {
    Profile* p = state_.current();
    if (!p || !p->lastToken.is_object()) return;
    auto it = p->lastToken.find("refresh_token");
    if (it == p->lastToken.end() || !it->is_string() || it->get<std::string>().empty()) {
        state_.status = "This token came without a refresh token.";
        return;
    }
    if (state_.attempt.busy != Busy::None) endAttempt();
    state_.errorDetails.clear();
    state_.attempt.profileName = p->tokenName;
    state_.attempt.startedAt = platform_.now();
    state_.attempt.refreshing = true;
    sendTokenRequest(oauth::BuildRefreshTokenRequest(*p, it->get<std::string>()), "Refreshing the token…");
}

void Controller::sendTokenRequest(const oauth::HttpRequest& request, const std::string& step) {
    state_.attempt.busy = Busy::Exchanging;
    state_.status = step;
    const std::string tokenUrl = request.url;
    const std::string name = state_.attempt.profileName;
    state_.attempt.fetchId = platform_.fetch(request, kTokenTimeoutMs, [this, tokenUrl, name](platform::FetchResult r) {
        if (state_.attempt.busy != Busy::Exchanging || state_.attempt.profileName != name) return;
        state_.attempt.fetchId = -1;
        onTokenResponse(r, tokenUrl);
    });
}

void Controller::onTokenResponse(const platform::FetchResult& result, const std::string& tokenUrl) {
    Profile* p = attemptProfile();
    Attempt finished = state_.attempt;
    state_.attempt = Attempt{};
    if (!p) return;
    oauth::TokenResponse response;
    if (result.response.status == 0) {
        response.error = oauth::DescribeTransportFailure(tokenUrl, result.transportError);
    } else {
        response = oauth::ProcessTokenResponse(result.response, tokenUrl);
    }
    state_.rawResponse = result.response.body;
    if (!response.ok()) {
        fail(*p, response.error->message, response.error->details);
        return;
    }
    const oauth::TokenSuccess& token = *response.success;
    nlohmann::json kept = token.fields.is_object() ? token.fields : nlohmann::json::object();
    // A refresh response may omit the refresh token: the old one stays valid (RFC 6749 section 6).
    if (token.refreshToken.empty() && p->lastToken.is_object() && p->lastToken.contains("refresh_token") &&
        finished.refreshing)
        kept["refresh_token"] = p->lastToken["refresh_token"];
    kept["obtained_at"] = static_cast<std::int64_t>(std::floor(platform_.now()));
    p->lastToken = kept;
    p->state = std::string(oauth::kStateConnected);
    p->lastError.clear();
    state_.errorDetails.clear();
    state_.status = "Connected: " + (token.tokenType.empty() ? std::string("a") : token.tokenType) +
                    " token was issued" + (token.expiresIn ? ", valid for " + std::to_string(*token.expiresIn) + " s." : ".");
    save();
}

void Controller::onCallback(const std::string& url) {
    if (state_.attempt.busy != Busy::Authorizing) return; // stray, replayed or late: ignore
    oauth::Callback cb = oauth::ParseCallback(url, state_.attempt.state, attemptProfile() ? attemptProfile()->issuer : "");
    if (cb.outcome == oauth::CallbackOutcome::Rejected && cb.rejection == "no_response_parameters") return;
    Profile* p = attemptProfile();
    const std::string verifier = state_.attempt.codeVerifier;
    platform_.closePopup();
    if (!p) {
        state_.attempt = Attempt{};
        return;
    }
    if (cb.outcome != oauth::CallbackOutcome::Code) {
        state_.attempt = Attempt{};
        oauth::Details details;
        if (!cb.error.empty()) details.push_back({"error", cb.error});
        if (!cb.errorDescription.empty()) details.push_back({"error_description", cb.errorDescription});
        if (!cb.errorUri.empty()) details.push_back({"error_uri", cb.errorUri});
        fail(*p, cb.message, details);
        return;
    }
    state_.attempt.busy = Busy::Exchanging;
    sendTokenRequest(oauth::BuildAuthorizationCodeTokenRequest(*p, cb.code, verifier),
                     "Exchanging the authorization code for a token…");
}

void Controller::onPopupClosed() {
    if (state_.attempt.busy != Busy::Authorizing) return;
    Profile* p = attemptProfile();
    state_.attempt = Attempt{};
    if (p)
        fail(*p, "The consent window was closed before the provider sent you back, so no authorization code "
                 "arrived. Press Get Access Token to try again.");
}

// ---- Several tabs ------------------------------------------------------------------------------

// A three-way merge by Token Name against what this tab last stored: a profile only the other tab
// changed takes its version, one only this tab changed keeps ours, one both changed keeps ours and
// is reported (then saved, so the other tab sees it too).
void Controller::onStorageChanged(const std::string& key, const std::string& newText) {
    if (key != kStorageKey || newText == lastStoredText_) return;
    oauth::StorageDocument theirs = oauth::DecodeDocument(newText);
    if (theirs.status != oauth::DocumentStatus::Ok && theirs.status != oauth::DocumentStatus::Empty) return;
    oauth::StorageDocument base = oauth::DecodeDocument(lastStoredText_);
    auto index = [](const std::vector<Profile>& list) {
        std::map<std::string, std::string> out;
        for (const Profile& p : list) out[lower(p.tokenName)] = oauth::DumpJson(oauth::ProfileToJson(p));
        return out;
    };
    const auto baseBy = index(base.profiles), mineBy = index(state_.profiles), theirsBy = index(theirs.profiles);
    auto get = [](const std::map<std::string, std::string>& m, const std::string& k) -> const std::string* {
        auto it = m.find(k);
        return it == m.end() ? nullptr : &it->second;
    };
    auto same = [](const std::string* a, const std::string* b) { return (!a && !b) || (a && b && *a == *b); };

    const std::string selectedName = state_.current() ? state_.current()->tokenName : "";
    std::vector<Profile> merged;
    std::vector<std::string> conflicts;
    auto keepMine = [&](const std::string& k) {
        for (const Profile& p : state_.profiles)
            if (lower(p.tokenName) == k) merged.push_back(p);
    };
    for (const Profile& t : theirs.profiles) {
        const std::string k = lower(t.tokenName);
        const std::string *b = get(baseBy, k), *m = get(mineBy, k), *th = get(theirsBy, k);
        if (same(m, b) || same(m, th)) {
            merged.push_back(t);
        } else if (same(th, b)) {
            keepMine(k);
        } else {
            if (m) conflicts.push_back(t.tokenName);
            keepMine(k);
        }
    }
    for (const Profile& p : state_.profiles) {
        const std::string k = lower(p.tokenName);
        if (get(theirsBy, k)) continue;
        // Gone in the other tab: deleted there, unless this tab changed it since.
        if (!same(get(mineBy, k), get(baseBy, k))) merged.push_back(p);
    }
    if (merged.empty()) merged.push_back(newProfile("New Profile"));
    state_.profiles = std::move(merged);
    lastStoredText_ = newText;
    state_.selected = 0;
    for (size_t i = 0; i < state_.profiles.size(); ++i)
        if (state_.profiles[i].tokenName == selectedName) state_.selected = static_cast<int>(i);
    if (state_.current() && state_.current()->tokenName != selectedName) select(state_.selected);
    if (!conflicts.empty()) {
        std::string names;
        for (const std::string& n : conflicts) names += (names.empty() ? "\"" : ", \"") + n + "\"";
        state_.storageBanner = "Changed in another tab at the same time: " + names +
                               ". This tab's version was kept and saved.";
        save();
    }
}

// ---- Reading state out -----------------------------------------------------------------------

std::string Controller::snapshotJson() const {
    nlohmann::json profiles = nlohmann::json::array();
    for (const Profile& p : state_.profiles) profiles.push_back(oauth::ProfileToJson(p));
    const Profile* p = const_cast<AppState&>(state_).current();
    nlohmann::json out = {
        {"profiles", profiles},
        {"selected", p ? p->tokenName : ""},
        {"status", state_.status},
        {"busy", state_.attempt.busy != Busy::None},
        {"state", p ? p->state : ""},
        {"error", p ? p->lastError : ""},
        {"token", p ? p->lastToken : nlohmann::json()},
        {"storage", state_.storageBanner},
    };
    return oauth::DumpJson(out);
}

int Controller::nextTimerMs() const {
    const Profile* p = const_cast<AppState&>(state_).current();
    if (!p || !p->lastToken.is_object()) return -1;
    auto obtained = p->lastToken.find("obtained_at");
    auto expires = p->lastToken.find("expires_in");
    if (obtained == p->lastToken.end() || expires == p->lastToken.end() || !obtained->is_number()) return -1;
    double expiresIn = expires->is_number() ? expires->get<double>()
                       : expires->is_string() ? std::atof(expires->get<std::string>().c_str()) : 0;
    double left = obtained->get<double>() + expiresIn - state_.now;
    if (left <= 0) return -1;
    // The countdown shows whole seconds: wake at the next second boundary.
    double frac = state_.now - std::floor(state_.now);
    return static_cast<int>((1.0 - frac) * 1000) + 5;
}

} // namespace app
