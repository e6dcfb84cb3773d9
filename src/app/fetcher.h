// The one way a request goes out (the one answer handler): it is logged in the exchange log, sent
// through this page's relay when the profile asks for it, and after a CORS refusal the relay is
// asked whether it could help; then the endpoint's Process* reads the whole result with its context.
// Used by the GrantSession and the tools alike.
#pragma once

#include "app/app_state.h"
#include "core/http.h"
#include "core/profile.h"
#include "core/transport_failure.h"
#include "platform/platform.h"

#include <functional>
#include <string>
#include <string_view>

namespace app {

class Fetcher {
  public:
    // An endpoint's whole fetch result and what the one answer handler knows about it.
    using AnswerHandler = std::function<void(const oauth::FetchResult&, const oauth::FetchContext&)>;

    // Who waits for an answer. `live` says whether it still does (an ended attempt does not: its
    // answers are dropped); `inFlight` learns the id of the fetch it now waits on (-1: none), so it
    // can cancel it. Unset: always live, nothing to learn.
    struct Waiter {
        std::function<bool()> live;
        std::function<void(int fetchId)> inFlight;
    };

    Fetcher(platform::Platform& platform, AppState& state) : platform_(platform), state_(state) {}

    // Sends `request` to `endpoint` as `snapshot` says (through the relay when it asks for it) and
    // logs it as `step`; calls `handler` at the start of a later frame, while `waiter` still waits.
    // Returns the fetch id.
    int send(const oauth::Profile& snapshot, std::string_view step, const oauth::HttpRequest& request,
             oauth::Endpoint endpoint, AnswerHandler handler, Waiter waiter = {});

    // This page's relay (serve.py --relay): <page folder>/relay.
    std::string relayUrl() const;

    // Makes and signs a fresh client assertion for `plan` with the profile's key (RFC 7523
    // section 2.2): a new jti, iat now. Without a typed Key ID, a private key's assertion names it
    // by its RFC 7638 thumbprint, the kid the page shows for registration. `done` runs later with
    // the compact JWS, or the sentence saying why it could not be signed.
    using AssertionDone = std::function<void(bool ok, std::string assertion, std::string error)>;
    void signAssertion(const oauth::Profile& profile, const oauth::PendingAssertion& plan,
                       AssertionDone done);

    // Makes a DPoP proof (RFC 9449 section 4.2) for `request` with the profile's key and the
    // server's latest nonce (AppState::dpopNonces): a new jti, iat now. `done` runs later with the
    // request carrying it in its DPoP header, or the sentence saying why there is none.
    using ProvedDone = std::function<void(bool ok, oauth::HttpRequest proved, std::string error)>;
    void proveDpop(const oauth::Profile& profile, const oauth::HttpRequest& request, ProvedDone done);
    // The RFC 7638 thumbprint of the profile's DPoP key (made if it has none), kept in
    // AppState::dpopThumbprints. `done` runs later.
    using ThumbprintDone = std::function<void(bool ok, std::string thumbprint, std::string error)>;
    void dpopThumbprint(const oauth::Profile& profile, ThumbprintDone done);

  private:
    int sendProved(const oauth::Profile& snapshot, std::string_view step, const oauth::HttpRequest& request,
                   oauth::Endpoint endpoint, AnswerHandler handler, Waiter waiter, bool retried);
    // Answers `handler` as a request that was not sent, saying why (a key that cannot sign).
    void answerNotSent(const oauth::HttpRequest& request, oauth::Endpoint endpoint,
                       const AnswerHandler& handler, std::string error);
    int sendSigned(const oauth::Profile& snapshot, std::string_view step, const oauth::HttpRequest& request,
                   oauth::Endpoint endpoint, AnswerHandler handler, Waiter waiter);
    using FetchHandler = std::function<void(const platform::FetchResult&)>;
    int sendLogged(const oauth::Profile& profile, std::string_view step, const oauth::HttpRequest& request,
                   FetchHandler handler);
    int askRelay(const std::string& targetUrl, std::function<void(oauth::RelayAvailability)> then);

    platform::Platform& platform_;
    AppState& state_;
};

} // namespace app
