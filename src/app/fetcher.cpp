#include "app/fetcher.h"

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

int Fetcher::send(const Profile& snapshot, std::string_view step, const oauth::HttpRequest& request,
                  oauth::Endpoint endpoint, AnswerHandler handler, Waiter waiter) {
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
