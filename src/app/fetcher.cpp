#include "app/fetcher.h"

#include "core/client_assertion.h"
#include "core/device_authorization.h"
#include "core/dpop.h"
#include "core/exchange_log.h"
#include "core/json_depth.h"

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
                      answerNotSent(request, endpoint, handler, std::move(error));
                  });
    return -1; // nothing in flight yet
}

void Fetcher::answerNotSent(const oauth::HttpRequest& request, oauth::Endpoint endpoint,
                            const AnswerHandler& handler, std::string error) {
    oauth::FetchResult notSent;
    notSent.failure = oauth::FetchFailure::NotSent;
    notSent.transportError = std::move(error);
    oauth::FetchContext context;
    context.url = request.url;
    context.endpoint = endpoint;
    context.timeoutSeconds = state_.timeoutSeconds;
    context.relay = oauth::RelayAvailability::NotUsed;
    handler(notSent, context);
}

void Fetcher::dpopThumbprint(const Profile& profile, ThumbprintDone done) {
    const std::string name = oauth::DpopKeyName(profile);
    platform_.dpopPublicKey(name, [this, name, done](bool ok, std::string jwk, std::string error) {
        const std::string thumbprint =
            ok ? oauth::JwkThumbprint(oauth::DpopPublicJwk(oauth::ParseUntrustedJson(jwk))) : std::string();
        if (thumbprint.empty())
            return done(false, {}, ok ? "The browser gave a DPoP key that is not a P-256 key." : error);
        state_.dpopThumbprints[name] = thumbprint;
        done(true, thumbprint, {});
    });
}

void Fetcher::proveDpop(const Profile& profile, const oauth::HttpRequest& request, ProvedDone done) {
    const std::string name = oauth::DpopKeyName(profile);
    platform_.dpopPublicKey(name, [this, name, request, done](bool ok, std::string jwk, std::string error) {
        const nlohmann::json publicJwk = oauth::DpopPublicJwk(oauth::ParseUntrustedJson(jwk));
        if (!ok || publicJwk.empty())
            return done(false, {}, ok ? "The browser gave a DPoP key that is not a P-256 key." : error);
        state_.dpopThumbprints[name] = oauth::JwkThumbprint(publicJwk);
        const auto nonce = state_.dpopNonces.find(oauth::DpopServerOf(request.url));
        const std::string input = oauth::JwsSigningInput(
            oauth::DpopProofHeader(publicJwk),
            oauth::DpopProofClaims(
                request, platform_.now(),
                oauth::MakeJwtId([this](std::uint8_t* out, std::size_t n) { platform_.randomBytes(out, n); }),
                nonce == state_.dpopNonces.end() ? std::string() : nonce->second));
        platform_.signDpop(
            name, input, [input, request, done](bool signedOk, std::string signature, std::string signError) {
                if (!signedOk)
                    return done(false, {}, std::move(signError));
                done(true, oauth::WithDpopProof(request, input + "." + signature), {});
            });
    });
}

// A request that carries a DPoP proof gets a fresh one, then goes on (its client assertion, if any,
// is signed next). The server's DPoP-Nonce is kept for the next proof to it (RFC 9449 section 8);
// a use_dpop_nonce answer that brought a nonce is retried once, with a new proof and a new
// assertion (both are single-use), never twice.
int Fetcher::sendProved(const Profile& snapshot, std::string_view step, const oauth::HttpRequest& request,
                        oauth::Endpoint endpoint, AnswerHandler handler, Waiter waiter, bool retried) {
    auto live = waiter.live ? waiter.live : [] { return true; };
    const std::string stepName(step);
    auto remember = [this, snapshot, stepName, request, endpoint, handler, waiter,
                     retried](const oauth::FetchResult& r, const oauth::FetchContext& context) {
        const oauth::DpopNonceAnswer nonce = oauth::ReadDpopNonceAnswer(r.response);
        if (!nonce.nonce.empty())
            state_.dpopNonces[oauth::DpopServerOf(request.url)] = nonce.nonce;
        if (!nonce.challenged || nonce.nonce.empty() || retried)
            return handler(r, context);
        const int id = sendProved(snapshot, stepName, request, endpoint, handler, waiter, true);
        if (waiter.inFlight)
            waiter.inFlight(id);
    };
    proveDpop(snapshot, request,
              [this, snapshot, stepName, request, endpoint, handler, remember, waiter,
               live](bool ok, oauth::HttpRequest proved, std::string error) {
                  if (!live())
                      return;
                  if (!ok)
                      return answerNotSent(request, endpoint, handler,
                                           "The DPoP proof could not be made. " + error);
                  const int id = send(snapshot, stepName, proved, endpoint, remember, waiter);
                  if (waiter.inFlight)
                      waiter.inFlight(id);
              });
    return -1; // nothing in flight yet
}

int Fetcher::send(const Profile& snapshot, std::string_view step, const oauth::HttpRequest& request,
                  oauth::Endpoint endpoint, AnswerHandler handler, Waiter waiter) {
    if (request.dpop)
        return sendProved(snapshot, step, request, endpoint, handler, waiter, false);
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
