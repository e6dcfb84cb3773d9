#pragma once
// The exchange log: every HTTP request and response of each attempt, in order, as a person sees
// them (secrets masked unless revealed), each one copyable as cURL, plus the model of the small
// flow diagram (authorize -> callback -> token exchange -> done) with the failed step marked.
#include "core/http.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

// ExchangeEntry::step values: the authorization request (RFC 6749 4.1.1) and its callback (4.1.2),
// the token request (4.1.3, 4.3, 4.4), the device authorization (RFC 8628 3.1) and token poll
// (3.4), refresh (RFC 6749 6), revocation (RFC 7009 2.1), introspection (RFC 7662 2.1) and OIDC
// Discovery (section 4). All but the last three are steps of the flow diagram.
inline constexpr std::string_view kStepAuthorizationRequest = "Authorization request";
inline constexpr std::string_view kStepPushedAuthorization = "Pushed authorization request"; // RFC 9126
inline constexpr std::string_view kStepCallback = "Callback";
inline constexpr std::string_view kStepTokenRequest = "Token request";
inline constexpr std::string_view kStepDeviceAuthorization = "Device authorization";
inline constexpr std::string_view kStepTokenPoll = "Token poll";
inline constexpr std::string_view kStepRefresh = "Refresh";
inline constexpr std::string_view kStepRevocation = "Revocation";
inline constexpr std::string_view kStepIntrospection = "Introspection";
inline constexpr std::string_view kStepDiscovery = "Discovery";
inline constexpr std::string_view kStepUserinfo = "UserInfo"; // OIDC Core 1.0 section 5.3
inline constexpr std::string_view kStepSignOut = "Sign out";  // OIDC RP-Initiated Logout 1.0
inline constexpr std::string_view kStepJwks = "JWKS";         // the ID token's keys (jwks_uri)

struct ExchangeEntry {
    std::uint64_t id = 0; // stable handle: completions find their entry even after older ones go
    int attempt = 0;      // ExchangeLog::attempt when the entry was added
    std::string step;     // one of kStep*
    HttpRequest request;  // navigations (authorization request, callback) hold the URL, method GET
    std::optional<HttpResponse> response;
    std::string transportError; // the browser's words when no HTTP answer came (status 0, CORS)
    std::string note;           // one sentence on the outcome, e.g. the token error's message
    double startedAtMs = 0;
    double elapsedMs = 0;
    bool finished = false; // false while the fetch is in flight
    bool failed = false;   // this step went wrong (decided by the caller, see CompleteExchange)
};

// Oldest entries are dropped beyond this, so a long polling session cannot grow without bound.
inline constexpr std::size_t kMaxExchangeEntries = 200;

struct ExchangeLog {
    std::vector<ExchangeEntry> entries; // in the order they were added
    int attempt = 0;                    // the current attempt; BeginAttempt increments it
    std::uint64_t nextId = 1;
};

// Starts a new attempt (a press of "Get token", a refresh, ...): later entries belong to it and
// DescribeFlow looks at it only. Returns the attempt number. Earlier entries stay in the log.
int BeginAttempt(ExchangeLog& log);

// Adds an in-flight request of the current attempt; returns its id for CompleteExchange.
std::uint64_t BeginExchange(ExchangeLog& log, std::string_view step, HttpRequest request, double startedAtMs);

// The answer arrived. `failed` is the caller's verdict, not the status: an RFC 8628
// authorization_pending 400 is not a failure, and a 200 without access_token is one.
// Returns false when the entry is gone (the log was cleared meanwhile); nothing changes then.
bool CompleteExchange(ExchangeLog& log, std::uint64_t id, HttpResponse response, double finishedAtMs,
                      bool failed, std::string note = {});

// No HTTP answer reached the page (network error or CORS refusal): marks the entry failed.
bool FailExchange(ExchangeLog& log, std::uint64_t id, std::string transportError, double finishedAtMs);

// A browser navigation the page does not fetch itself: the authorization request opened in the
// popup, or the callback URL received. Added finished (GET `url`, no response); returns its id.
std::uint64_t RecordNavigation(ExchangeLog& log, std::string_view step, std::string url, double atMs,
                               bool failed = false, std::string note = {});

// The entry with this id, or nullptr.
const ExchangeEntry* FindExchange(const ExchangeLog& log, std::uint64_t id);

// The text a person sees, masked unless `reveal`:
//   Token request: HTTP 200 after 35 ms
//   <note, if any>
//
//   POST https://id.example.com/token
//   Authorization: Basic ********
//
//   grant_type=authorization_code&code=********
//
//   HTTP 200
//   Content-Type: application/json
//
//   {"access_token":"********","token_type":"Bearer"}
std::string FormatExchangeEntry(const ExchangeEntry& entry, bool reveal);

// The first line of FormatExchangeEntry, for a collapsed list row.
std::string ExchangeEntrySummary(const ExchangeEntry& entry);

// The request as a cURL command (ExportCurl); empty for the callback, which the page received
// rather than sent, so there is nothing to replay.
std::string ExchangeEntryAsCurl(const ExchangeEntry& entry, bool reveal);

// ---- Flow diagram model ----

enum class FlowStep { Authorize, Callback, DeviceAuthorization, UserApproval, TokenExchange, Done };
enum class FlowState { Pending, Active, Ok, Failed, Skipped };

struct FlowStepStatus {
    FlowStep step;
    std::string label; // "Authorize", "Callback", "Token exchange", "Device authorization",
                       // "User approval", "Token poll", "Refresh", "Done"
    FlowState state = FlowState::Pending;
};

// The steps of `grantType` and how far the current attempt got:
//   authorization_code: Authorize -> Callback -> Token exchange -> Done
//   device_code (RFC 8628): Device authorization -> User approval -> Token poll -> Done
//   refresh_token: Refresh -> Done; password, client_credentials, others: Token exchange -> Done
// A step's latest entry of the attempt decides its state: in flight = Active, failed = Failed,
// finished = Ok (a token poll only once the attempt is over: until then the user is approving;
// an authorization_pending or slow_down answer is never a failure, RFC 8628 section 3.5).
// When `attemptFailed` but no entry failed (say, the callback's state did not match), the first
// step not Ok is Failed. While `attemptRunning`, the first Pending step is Active (waiting).
// Steps after a failure are Skipped. Done is Ok once every step is Ok and the attempt is over.
std::vector<FlowStepStatus> DescribeFlow(std::string_view grantType, const ExchangeLog& log,
                                         bool attemptRunning, bool attemptFailed);

const char* FlowStateName(FlowState state); // "pending", "active", "ok", "failed", "skipped"

} // namespace oauth
