// The Controller's side of the grants: it starts a GrantSession (grant_session.h) for the selected
// profile, routes the callback, the closed popup and the timers to it, and keeps aside a session
// whose popup looked closed, which a late callback may resume for 10 minutes (issue 11). Auto-refresh
// starts a refresh, or the grant again, shortly before the selected profile's token expires.
#include "app/controller.h"

#include "core/callback.h"
#include "core/dpop.h"
#include "core/exchange_log.h"
#include "core/validation.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace app {

using oauth::Profile;

void Controller::endAttempt() {
    if (session_)
        session_->end();
}

void Controller::startGrant() {
    // An attempt starts from the saved profile (auto-refresh starts one between intents); before
    // `p` is taken, as the save's merge may replace the profiles.
    store_.flush();
    Profile* p = state_.current();
    if (!p)
        return;
    endAttempt();
    state_.popupBlocked = false;
    state_.offerRelayRetry = false;
    state_.offerUnencodedRetry = false;
    state_.consentHint = false;
    state_.errorDetails.clear();
    state_.rawResponse.clear();
    closed_.reset(); // a new attempt forgets the closed one
    if (!GrantSession::MayStart(parts_, *p))
        return;
    if (p->useDpop)
        store_.assignIds(); // the key is named by the id (DpopKeyName)
    session_ = GrantSession::Start(parts_, *p);
}

void Controller::refresh(bool automatic) {
    store_.flush(); // as startGrant
    Profile* p = state_.current();
    if (!p || !p->lastToken.is_object())
        return;
    auto it = p->lastToken.find("refresh_token");
    if (it == p->lastToken.end() || !it->is_string() || it->get<std::string>().empty()) {
        state_.status = "This token came without a refresh token.";
        return;
    }
    // The Access Token URL may have been edited since the token came: the refresh token and the
    // client's credentials go only where the same rules as for a new grant allow.
    const oauth::UrlReader browser = platform::UrlReaderOf(platform_);
    if (auto refused = oauth::CheckEndpointUrl(p->accessTokenUrl, "Access Token URL", &browser)) {
        state_.status = "Not sent: " + *refused;
        return;
    }
    endAttempt();
    state_.errorDetails.clear();
    if (p->useDpop)
        store_.assignIds();
    session_ = GrantSession::StartRefresh(parts_, *p, it->get<std::string>(), automatic);
}

std::shared_ptr<GrantSession> Controller::waitingForCallback() {
    if (session_ && session_->busy() == Busy::Authorizing)
        return session_;
    // A popup that looked closed (providers may sever window.opener) can still answer.
    if (running() || !closed_)
        return nullptr; // stray or replayed
    if (!closed_->resumable(platform_.now())) {
        closed_.reset(); // its state and verifier are forgotten
        return nullptr;
    }
    return closed_;
}

void Controller::onCallback(const std::string& url) {
    if (signedOut(url))
        return;
    std::shared_ptr<GrantSession> pending = waitingForCallback();
    if (!pending || !pending->onCallback(url))
        return;
    closed_.reset();
    session_ = pending; // a resumed attempt is the latest one again
}

// The provider's return from RP-initiated logout (RP-Initiated Logout 1.0 section 3): the sign-out's
// own state, and neither code nor error. Any other callback is a sign-in's.
bool Controller::signedOut(const std::string& url) {
    if (state_.signOutState.empty())
        return false;
    const oauth::Callback cb = oauth::ParseCallback(url, state_.signOutState);
    if (cb.state != state_.signOutState || !cb.code.empty() || !cb.error.empty())
        return false;
    state_.signOutState.clear();
    oauth::RecordNavigation(state_.log, oauth::kStepCallback, url, platform_.now() * 1000);
    platform_.closePopup();
    state_.status = "Signed out at the provider: the next sign-in asks for the login again.";
    return true;
}

void Controller::keepIfClosed() {
    if (session_ && session_->resumable(platform_.now()))
        closed_ = std::move(session_);
}

void Controller::onPopupClosed() {
    if (!session_)
        return;
    session_->onPopupClosed();
    keepIfClosed();
}

// ---- Timers ----------------------------------------------------------------------------------

double Controller::tokenExpiresAt(const Profile& profile) const {
    if (!profile.lastToken.is_object() || profile.lastToken.contains(kRevokedAtKey))
        return 0; // revoked: no countdown, no auto-refresh
    auto obtained = profile.lastToken.find("obtained_at");
    auto expires = profile.lastToken.find("expires_in");
    if (obtained == profile.lastToken.end() || !obtained->is_number() || expires == profile.lastToken.end())
        return 0;
    double expiresIn = expires->is_number()   ? expires->get<double>()
                       : expires->is_string() ? std::atof(expires->get<std::string>().c_str())
                                              : 0;
    return expiresIn > 0 ? obtained->get<double>() + expiresIn : 0;
}

void Controller::tick() {
    if (store_.unsaved() && platform_.now() - store_.unsavedSince() >= kMaxUnsavedSeconds)
        store_.flush(); // typing without a pause still saves now and then
    if (session_) {
        session_->tick(state_.now);
        keepIfClosed();
    }
    autoRefreshIfDue();
    prepareDpopKey();
}

void Controller::prepareDpopKey() {
    const Profile* p = state_.current();
    if (!p || !p->useDpop)
        return;
    store_.assignIds(); // the key is named by the id (DpopKeyName)
    if (!dpopKeysAsked_.insert(oauth::DpopKeyName(*p)).second)
        return;
    fetcher_.dpopThumbprint(*p, [](bool, std::string, std::string) {});
}

// Opt-in: shortly before the selected profile's token expires, refresh it, or run the grant
// again where there is no refresh token and no person is needed (client credentials, password).
void Controller::autoRefreshIfDue() {
    Profile* p = state_.current();
    if (!p || !p->autoRefresh || running() || p->state != oauth::ProfileState::Connected)
        return;
    const double expiresAt = tokenExpiresAt(*p);
    if (expiresAt <= 0)
        return;
    const std::int64_t obtained = p->lastToken.value("obtained_at", std::int64_t{0});
    const double lead = std::min(kAutoRefreshLeadSeconds, (expiresAt - static_cast<double>(obtained)) / 10);
    if (state_.now < expiresAt - lead || autoRefreshTriedFor_ == obtained)
        return;
    autoRefreshTriedFor_ = obtained; // one try per token: a failure is shown, not retried in a loop
    const bool hasRefresh = p->lastToken.contains("refresh_token");
    if (hasRefresh)
        refresh(true);
    else if (p->grantType == oauth::GrantType::ClientCredentials ||
             p->grantType == oauth::GrantType::Password)
        startGrant(); // reads like one run by a click
}

int Controller::nextTimerMs() const {
    const double now = state_.now;
    double due = -1;
    auto consider = [&](double at) {
        if (at > now && (due < 0 || at < due))
            due = at;
    };
    if (state_.attempt.busy == Busy::DevicePolling) {
        consider(state_.attempt.device.nextPollAt);
        consider(std::floor(now) + 1); // the code's time left counts down
    }
    if (state_.attempt.busy != Busy::None)
        consider(std::floor(now) + 1);
    const Profile* p = const_cast<AppState&>(state_).current();
    if (p) {
        const double expiresAt = tokenExpiresAt(*p);
        if (expiresAt > now)
            consider(std::floor(now) + 1); // the token's countdown
    }
    if (due < 0)
        return -1;
    return static_cast<int>((due - now) * 1000) + 5;
}

} // namespace app
