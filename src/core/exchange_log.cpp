#include "core/exchange_log.h"
#include "core/json_depth.h"

#include "core/export_curl.h"
#include "core/masking.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <iterator>

namespace oauth {
namespace {

// profile.h's device grant type (RFC 8628), short and as sent on the wire (section 3.4).
constexpr std::string_view kDeviceGrantShort = "device_code";
constexpr std::string_view kDeviceGrantWire = "urn:ietf:params:oauth:grant-type:device_code";
constexpr std::string_view kRefreshGrant = "refresh_token";
constexpr std::string_view kAuthorizationCodeGrant = "authorization_code";

ExchangeEntry* FindMutable(ExchangeLog& log, std::uint64_t id) {
    for (ExchangeEntry& entry : log.entries)
        if (entry.id == id)
            return &entry;
    return nullptr;
}

std::uint64_t Add(ExchangeLog& log, ExchangeEntry entry) {
    entry.id = log.nextId++;
    entry.attempt = log.attempt;
    if (log.entries.size() >= kMaxExchangeEntries)
        log.entries.erase(log.entries.begin(),
                          log.entries.begin() + std::ptrdiff_t(log.entries.size() - kMaxExchangeEntries + 1));
    log.entries.push_back(std::move(entry));
    return log.entries.back().id;
}

double Elapsed(double startedAtMs, double finishedAtMs) {
    return finishedAtMs > startedAtMs ? finishedAtMs - startedAtMs : 0;
}

// Marks entry `id` finished at `finishedAtMs`; the caller fills in what ended it. nullptr when
// the entry has already left the log.
ExchangeEntry* Finish(ExchangeLog& log, std::uint64_t id, double finishedAtMs, bool failed) {
    ExchangeEntry* entry = FindMutable(log, id);
    if (!entry)
        return nullptr;
    entry->elapsedMs = Elapsed(entry->startedAtMs, finishedAtMs);
    entry->finished = true;
    entry->failed = failed;
    return entry;
}

std::string Milliseconds(double ms) {
    return std::to_string(std::llround(ms)) + " ms";
}

void AppendMessage(std::string& text, const HttpHeaders& headers, std::string_view body) {
    for (const auto& [name, value] : headers)
        text += "\n" + name + ": " + value;
    if (!body.empty()) {
        text += "\n\n";
        text += body;
    }
}

} // namespace

int BeginAttempt(ExchangeLog& log) {
    return ++log.attempt;
}

std::uint64_t BeginExchange(ExchangeLog& log, std::string_view step, HttpRequest request,
                            double startedAtMs) {
    ExchangeEntry entry;
    entry.step = std::string(step);
    entry.request = std::move(request);
    entry.startedAtMs = startedAtMs;
    return Add(log, std::move(entry));
}

bool CompleteExchange(ExchangeLog& log, std::uint64_t id, HttpResponse response, double finishedAtMs,
                      bool failed, std::string note) {
    ExchangeEntry* entry = Finish(log, id, finishedAtMs, failed);
    if (!entry)
        return false;
    entry->response = std::move(response);
    entry->note = std::move(note);
    return true;
}

bool FailExchange(ExchangeLog& log, std::uint64_t id, std::string transportError, double finishedAtMs) {
    ExchangeEntry* entry = Finish(log, id, finishedAtMs, true);
    if (!entry)
        return false;
    entry->transportError = std::move(transportError);
    return true;
}

std::uint64_t RecordNavigation(ExchangeLog& log, std::string_view step, std::string url, double atMs,
                               bool failed, std::string note) {
    ExchangeEntry entry;
    entry.step = std::string(step);
    entry.request.method = "GET";
    entry.request.url = std::move(url);
    entry.startedAtMs = atMs;
    entry.finished = true;
    entry.failed = failed;
    entry.note = std::move(note);
    return Add(log, std::move(entry));
}

const ExchangeEntry* FindExchange(const ExchangeLog& log, std::uint64_t id) {
    for (const ExchangeEntry& entry : log.entries)
        if (entry.id == id)
            return &entry;
    return nullptr;
}

std::string ExchangeEntrySummary(const ExchangeEntry& entry) {
    std::string text = entry.step + ": ";
    if (!entry.finished)
        return text + "waiting for the answer";
    if (entry.response)
        text += "HTTP " + std::to_string(entry.response->status) + " after " + Milliseconds(entry.elapsedMs);
    else if (!entry.transportError.empty())
        text += "no HTTP answer after " + Milliseconds(entry.elapsedMs);
    else
        text += entry.step == kStepCallback ? "received" : "opened in the browser";
    if (entry.failed)
        text += " (failed)";
    return text;
}

std::string FormatExchangeEntry(const ExchangeEntry& entry, bool reveal) {
    std::string text = ExchangeEntrySummary(entry);
    if (!entry.note.empty())
        text += "\n" + entry.note;

    const HttpRequest request = MaskRequestForDisplay(entry.request, reveal);
    text += "\n\n" + (request.method.empty() ? request.url : request.method + " " + request.url);
    AppendMessage(text, request.headers, request.body);

    if (entry.response) {
        text += "\n\nHTTP " + std::to_string(entry.response->status);
        AppendMessage(text, entry.response->headers,
                      MaskResponseBodyForDisplay(entry.response->body, reveal));
    }
    if (!entry.transportError.empty())
        text += "\n\n" + entry.transportError;
    return text;
}

std::string ExchangeEntryAsCurl(const ExchangeEntry& entry, bool reveal) {
    if (entry.step == kStepCallback)
        return {};
    return ExportCurl(entry.request, reveal);
}

// ---- Flow diagram model ----

namespace {

bool IsDeviceGrant(std::string_view grantType) {
    return grantType == kDeviceGrantShort || grantType == kDeviceGrantWire;
}

std::vector<FlowStepStatus> FlowTemplate(std::string_view grantType) {
    if (grantType == kAuthorizationCodeGrant)
        return {{FlowStep::Authorize, "Authorize"},
                {FlowStep::Callback, "Callback"},
                {FlowStep::TokenExchange, "Token exchange"},
                {FlowStep::Done, "Done"}};
    if (IsDeviceGrant(grantType))
        return {{FlowStep::DeviceAuthorization, "Device authorization"},
                {FlowStep::UserApproval, "User approval"},
                {FlowStep::TokenExchange, "Token poll"},
                {FlowStep::Done, "Done"}};
    if (grantType == kRefreshGrant)
        return {{FlowStep::TokenExchange, "Refresh"}, {FlowStep::Done, "Done"}};
    return {{FlowStep::TokenExchange, "Token exchange"}, {FlowStep::Done, "Done"}};
}

// Which diagram step a log entry belongs to; revocation, introspection and discovery are not
// part of a grant's flow.
std::optional<FlowStep> FlowStepOf(std::string_view step) {
    if (step == kStepAuthorizationRequest)
        return FlowStep::Authorize;
    if (step == kStepCallback)
        return FlowStep::Callback;
    if (step == kStepDeviceAuthorization)
        return FlowStep::DeviceAuthorization;
    if (step == kStepTokenRequest || step == kStepTokenPoll || step == kStepRefresh)
        return FlowStep::TokenExchange;
    return std::nullopt;
}

// RFC 8628 section 3.5: "keep polling" answers are 400s but not failures, whatever the caller
// marked, so the diagram never shows a failure while the person is still approving.
bool IsKeepPollingAnswer(const ExchangeEntry& entry) {
    if (entry.step != kStepTokenPoll || !entry.response)
        return false;
    const std::string& body = entry.response->body;
    const nlohmann::json answer = ParseUntrustedJson(body);
    if (!answer.is_object())
        return false;
    const auto error = answer.find("error");
    return error != answer.end() && (*error == "authorization_pending" || *error == "slow_down");
}

const ExchangeEntry* LatestEntry(const ExchangeLog& log, FlowStep step) {
    const ExchangeEntry* latest = nullptr;
    for (const ExchangeEntry& entry : log.entries)
        if (entry.attempt == log.attempt && FlowStepOf(entry.step) == step)
            latest = &entry;
    return latest;
}

} // namespace

std::vector<FlowStepStatus> DescribeFlow(std::string_view grantType, const ExchangeLog& log,
                                         bool attemptRunning, bool attemptFailed) {
    std::vector<FlowStepStatus> flow = FlowTemplate(grantType);
    const bool device = IsDeviceGrant(grantType);
    const std::size_t done = flow.size() - 1;
    auto firstWith = [&flow](auto predicate) {
        for (std::size_t i = 0; i < flow.size(); ++i)
            if (predicate(flow[i]))
                return i;
        return flow.size();
    };

    // 1. Each step from its latest entry in the current attempt.
    std::size_t reached = flow.size(); // the furthest step with an entry
    for (std::size_t i = 0; i < done; ++i) {
        FlowStepStatus& status = flow[i];
        const ExchangeEntry* entry =
            status.step == FlowStep::UserApproval ? nullptr : LatestEntry(log, status.step);
        if (!entry)
            continue;
        reached = i;
        if (!entry->finished)
            status.state = attemptRunning ? FlowState::Active : FlowState::Pending;
        else if (IsKeepPollingAnswer(*entry))
            status.state = FlowState::Pending;
        else if (entry->failed)
            status.state = FlowState::Failed;
        else if (device && status.step == FlowStep::TokenExchange && attemptRunning)
            status.state = FlowState::Pending; // authorization_pending or slow_down: still polling
        else
            status.state = FlowState::Ok;
    }
    // 2. A step reached implies the ones before it happened, even if they left no entry (the user
    //    approval has none, and only a successful poll proves it).
    for (std::size_t i = 0; reached < flow.size() && i < reached; ++i)
        if (flow[i].state == FlowState::Pending && flow[i].step != FlowStep::UserApproval)
            flow[i].state = FlowState::Ok;
    if (device && flow[2].state == FlowState::Ok)
        flow[1].state = FlowState::Ok;
    if (!attemptRunning && !attemptFailed &&
        firstWith([](const FlowStepStatus& s) { return s.state != FlowState::Ok; }) == done)
        flow[done].state = FlowState::Ok;

    // 3. A failed attempt without a failed entry (a state mismatch, a blocked popup, ...) blames
    //    the first step that did not succeed, never Done itself.
    std::size_t failed = firstWith([](const FlowStepStatus& s) { return s.state == FlowState::Failed; });
    if (attemptFailed && failed == flow.size()) {
        failed = firstWith([](const FlowStepStatus& s) { return s.state != FlowState::Ok; });
        if (failed >= done)
            failed = done - 1;
        flow[failed].state = FlowState::Failed;
    }
    if (failed < flow.size()) {
        for (std::size_t i = failed + 1; i < flow.size(); ++i)
            if (flow[i].state != FlowState::Ok)
                flow[i].state = FlowState::Skipped;
        return flow;
    }

    // 4. While running with nothing in flight, the first pending step is what we wait for (the
    //    callback, the person approving the device).
    if (attemptRunning) {
        if (firstWith([](const FlowStepStatus& s) { return s.state == FlowState::Active; }) == flow.size()) {
            const std::size_t waiting =
                firstWith([](const FlowStepStatus& s) { return s.state == FlowState::Pending; });
            if (waiting < flow.size())
                flow[waiting].state = FlowState::Active;
        }
        if (device && flow[0].state == FlowState::Ok && flow[1].state == FlowState::Pending)
            flow[1].state = FlowState::Active; // the person is still approving while a poll is in flight
    }
    return flow;
}

const char* FlowStateName(FlowState state) {
    // In the enum's order.
    static constexpr const char* kNames[] = {"pending", "active", "ok", "failed", "skipped"};
    static_assert(std::size(kNames) == static_cast<std::size_t>(FlowState::Skipped) + 1);
    const auto index = static_cast<std::size_t>(state);
    return index < std::size(kNames) ? kNames[index] : kNames[0];
}

} // namespace oauth
