#include "app/fetcher.h"

#include "core/client_assertion.h"
#include "core/device_authorization.h"
#include "core/exchange_log.h"

namespace app {

using oauth::Profile;

std::string Fetcher::relayUrl() const {
    std::string page = platform_.pageUrl();
    auto slash = page.rfind('/');
    return (slash == std::string::npos ? page + "/" : page.substr(0, slash + 1)) + "relay";
}

namespace {

// An HTTP error answer is a failed step, except a device poll's "not yet" (RFC 8628 section 3.5).
bool FailedStep(const std::string& step, const oauth::HttpResponse& response) {
    if (response.status < 400)
        return false;
    if (step == oauth::kStepTokenPoll)
        return !oauth::ClassifyDevicePollResponse(response).keepPolling();
    return true;
}

} // namespace

int Fetcher::sendLogged(const Profile& profile, std::string_view step, const oauth::HttpRequest& request,
                        FetchHandler handler) {
    const std::uint64_t logId = oauth::BeginExchange(state_.log, step, request, platform_.now() * 1000);
    oauth::HttpRequest wire = request;
    if (profile.useRelay) {
        // Same-origin relay (serve.py --relay) for providers whose endpoints refuse browsers.
        wire.url = relayUrl();
        wire.headers.emplace_back("X-OAuth-Setup-Target", request.url);
    }
    const std::string stepName(step);
    return platform_.fetch(
        wire, state_.timeoutSeconds * 1000, [this, logId, handler, stepName](platform::FetchResult r) {
            const double now = platform_.now() * 1000;
            if (r.response.status == 0)
                oauth::FailExchange(state_.log, logId, r.transportError, now);
            else
                oauth::CompleteExchange(state_.log, logId, r.response, now, FailedStep(stepName, r.response));
            handler(r);
        });
}

void Fetcher::signAssertion(const Profile& profile, const oauth::PendingAssertion& plan, AssertionDone done) {
    const std::string key = oauth::AssertionKey(profile);
    auto sign = [this, key, done](const oauth::PendingAssertion& named) {
        const nlohmann::json header = oauth::AssertionHeader(named);
        const nlohmann::json claims = oauth::AssertionClaims(
            named, platform_.now(),
            oauth::MakeJwtId([this](std::uint8_t* out, std::size_t n) { platform_.randomBytes(out, n); }));
        const std::string input = oauth::JwsSigningInput(header, claims);
        platform_.signJws(named.algorithm, key, input,
                          [input, done](bool ok, std::string signature, std::string error) {
                              done(ok, ok ? input + "." + signature : std::string(), std::move(error));
                          });
    };
    if (plan.algorithm == "HS256" || !plan.keyId.empty())
        return sign(plan);
    platform_.describeSigningKey(
        plan.algorithm, key, [sign, plan, done](bool ok, std::string jwk, std::string error) {
            if (!ok)
                return done(false, {}, std::move(error));
            oauth::PendingAssertion named = plan;
            named.keyId = oauth::JwkThumbprint(nlohmann::json::parse(jwk, nullptr, false));
            sign(named);
        });
}

// A request that carries a client assertion is signed first, then sent; an attempt that ended
// meanwhile sends nothing. A key that cannot sign is answered as a request that was not sent.
int Fetcher::sendSigned(const Profile& snapshot, std::string_view step, const oauth::HttpRequest& request,
                        oauth::Endpoint endpoint, AnswerHandler handler, Waiter waiter) {
    auto live = waiter.live ? waiter.live : [] { return true; };
    const std::string stepName(step);
    signAssertion(snapshot, *request.assertion,
                  [this, snapshot, stepName, request, endpoint, handler, waiter,
                   live](bool ok, std::string jwt, std::string error) {
                      if (!live())
                          return;
                      if (ok) {
                          const int id = send(snapshot, stepName, oauth::WithClientAssertion(request, jwt),
                                              endpoint, handler, waiter);
                          if (waiter.inFlight)
                              waiter.inFlight(id);
                          return;
                      }
                      oauth::FetchResult notSent;
                      notSent.failure = oauth::FetchFailure::NotSent;
                      notSent.transportError = error;
                      oauth::FetchContext context;
                      context.url = request.url;
                      context.endpoint = endpoint;
                      context.timeoutSeconds = state_.timeoutSeconds;
                      context.relay = oauth::RelayAvailability::NotUsed;
                      handler(notSent, context);
                  });
    return -1; // nothing in flight yet
}

int Fetcher::send(const Profile& snapshot, std::string_view step, const oauth::HttpRequest& request,
                  oauth::Endpoint endpoint, AnswerHandler handler, Waiter waiter) {
    if (request.assertion)
        return sendSigned(snapshot, step, request, endpoint, handler, waiter);
    auto live = waiter.live ? waiter.live : [] { return true; };
    auto inFlight = waiter.inFlight ? waiter.inFlight : [](int) {};
    const std::string url = request.url;
    const bool viaRelay = snapshot.useRelay;
    auto answer = [this, handler, url, endpoint, viaRelay](const platform::FetchResult& r,
                                                           oauth::RelayAvailability relay) {
        oauth::FetchContext context;
        context.url = url;
        context.endpoint = endpoint;
        context.viaRelay = viaRelay;
        context.timeoutSeconds = state_.timeoutSeconds;
        context.relay = relay;
        handler(r, context);
    };
    return sendLogged(
        snapshot, step, request,
        [this, live, inFlight, answer, url, viaRelay, endpoint](const platform::FetchResult& r) {
            if (!live())
                return;
            inFlight(-1);
            if (r.response.status != 0 || r.failure != platform::FetchFailure::Cors || viaRelay ||
                !endpoint.relayable) {
                answer(r, oauth::RelayAvailability::Unknown);
                return;
            }
            inFlight(askRelay(url, [live, inFlight, answer, r](oauth::RelayAvailability relay) {
                if (!live())
                    return;
                inFlight(-1);
                answer(r, relay);
            }));
        });
}

// A CORS refusal's next step depends on this page's own relay: ask it (GET <page folder>/relay)
// whether it runs and forwards to the target's host. Returns the fetch id.
int Fetcher::askRelay(const std::string& targetUrl, std::function<void(oauth::RelayAvailability)> then) {
    oauth::HttpRequest status;
    status.method = "GET";
    status.url = relayUrl();
    return platform_.fetch(status, 5000, [targetUrl, then](platform::FetchResult r) {
        then(r.response.status == 0
                 ? oauth::RelayAvailability::Unknown
                 : oauth::RelayAvailabilityFor(oauth::ReadRelayStatus(r.response), targetUrl));
    });
}

} // namespace app
