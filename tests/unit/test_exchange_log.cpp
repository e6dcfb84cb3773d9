#include "core/exchange_log.h"

#include "core/export_curl.h"
#include "core/token_request.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace oauth;
using namespace oauth::test;

namespace {

// "Authorize:ok Callback:active ..." so a whole diagram is one exact comparison.
std::string Describe(const std::vector<FlowStepStatus>& flow) {
    std::string text;
    for (const FlowStepStatus& status : flow)
        text += (text.empty() ? "" : " ") + status.label + ":" + FlowStateName(status.state);
    return text;
}

} // namespace

TEST_CASE("Requests are added in flight and completed by id", "[exchange-log]") {
    ExchangeLog log;
    CHECK(BeginAttempt(log) == 1);
    const HttpRequest request = BuildClientCredentialsTokenRequest(test::ClientCredentialsProfile());
    const std::uint64_t id = BeginExchange(log, kStepTokenRequest, request, 1000);
    REQUIRE(log.entries.size() == 1);
    CHECK(log.entries[0].attempt == 1);
    CHECK_FALSE(log.entries[0].finished);
    CHECK(ExchangeEntrySummary(log.entries[0]) == "Token request: waiting for the answer");

    CHECK(CompleteExchange(log, id, JsonResponse(200, R"({"access_token":"at","token_type":"Bearer"})"),
                           1034.6, false));
    const ExchangeEntry& entry = *FindExchange(log, id);
    CHECK(entry.finished);
    CHECK_FALSE(entry.failed);
    CHECK(entry.elapsedMs == Approx(34.6));
    CHECK(ExchangeEntrySummary(entry) == "Token request: HTTP 200 after 35 ms");

    SECTION("a completion after the log was cleared changes nothing") {
        log.entries.clear();
        CHECK_FALSE(CompleteExchange(log, id, JsonResponse(200, "{}"), 2000, false));
        CHECK_FALSE(FailExchange(log, id, "Failed to fetch", 2000));
        CHECK(log.entries.empty());
    }
    SECTION("no HTTP answer is a failure with the browser's words") {
        const std::uint64_t second = BeginExchange(log, kStepTokenRequest, request, 3000);
        CHECK(FailExchange(log, second, "TypeError: Failed to fetch", 3120));
        CHECK(ExchangeEntrySummary(*FindExchange(log, second)) ==
              "Token request: no HTTP answer after 120 ms (failed)");
    }
    SECTION("the oldest entries go beyond the cap, ids stay valid") {
        std::uint64_t last = 0;
        for (std::size_t i = 0; i < kMaxExchangeEntries + 5; ++i)
            last = BeginExchange(log, kStepTokenPoll, request, double(i));
        CHECK(log.entries.size() == kMaxExchangeEntries);
        CHECK(FindExchange(log, id) == nullptr);
        CHECK(CompleteExchange(log, last, JsonResponse(400, R"({"error":"authorization_pending"})"), 500,
                               false));
    }
}

TEST_CASE("An entry reads as request, then response, with secrets masked", "[exchange-log]") {
    ExchangeLog log;
    const HttpRequest request =
        BuildAuthorizationCodeTokenRequest(test::AuthorizationCodeProfile(), "the-code", "the-verifier");
    const std::uint64_t id = BeginExchange(log, kStepTokenRequest, request, 0);
    CompleteExchange(
        log, id, JsonResponse(200, R"({"access_token":"at-1","token_type":"Bearer","refresh_token":"rt-1"})"),
        35, false);
    const ExchangeEntry& entry = log.entries[0];
    CHECK(FormatExchangeEntry(entry, false) ==
          "Token request: HTTP 200 after 35 ms\n"
          "\n"
          "POST https://id.example.com/token\n"
          "Content-Type: application/x-www-form-urlencoded\n"
          "Accept: application/json\n"
          "Authorization: Basic ********\n"
          "\n"
          "grant_type=authorization_code&code=********"
          "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback"
          "&code_verifier=********\n"
          "\n"
          "HTTP 200\n"
          "Content-Type: application/json\n"
          "\n"
          R"({"access_token":"********","token_type":"Bearer","refresh_token":"********"})");
    SECTION("revealed") {
        const std::string text = FormatExchangeEntry(entry, true);
        CHECK(text.find("Authorization: Basic Y2xpZW50LTE6czNjcmV0") != std::string::npos);
        CHECK(text.find("code=the-code") != std::string::npos);
        CHECK(text.find(R"("access_token":"at-1")") != std::string::npos);
    }
    SECTION("copied as cURL, masked the same way") {
        CHECK(ExchangeEntryAsCurl(entry, false) == ExportCurl(request, false));
        CHECK(ExchangeEntryAsCurl(entry, false).find("the-code") == std::string::npos);
        CHECK(ExchangeEntryAsCurl(entry, true) == ExportCurl(request, true));
    }
    SECTION("a failed answer carries the caller's note") {
        const std::uint64_t failed = BeginExchange(log, kStepTokenRequest, request, 100);
        CompleteExchange(log, failed, JsonResponse(400, R"({"error":"invalid_grant"})"), 180, true,
                         "The authorization code was already used or has expired (invalid_grant).");
        CHECK(FormatExchangeEntry(*FindExchange(log, failed), false)
                  .starts_with("Token request: HTTP 400 after 80 ms (failed)\n"
                               "The authorization code was already used or has expired (invalid_grant).\n\n"
                               "POST https://id.example.com/token\n"));
    }
}

TEST_CASE("Navigations show their URL masked and are not replayed as cURL", "[exchange-log]") {
    ExchangeLog log;
    RecordNavigation(log, kStepAuthorizationRequest,
                     "https://id.example.com/authorize?response_type=code&client_id=client-1&state=s1"
                     "&code_challenge=E9Mel&code_challenge_method=S256",
                     10);
    RecordNavigation(log, kStepCallback, "https://app.example.com/callback?code=SplxlOBe&state=s1", 9000);
    CHECK(FormatExchangeEntry(log.entries[0], false) ==
          "Authorization request: opened in the browser\n\n"
          "GET https://id.example.com/authorize?response_type=code&client_id=client-1&state=s1"
          "&code_challenge=E9Mel&code_challenge_method=S256");
    CHECK(FormatExchangeEntry(log.entries[1], false) ==
          "Callback: received\n\nGET https://app.example.com/callback?code=********&state=s1");
    CHECK(FormatExchangeEntry(log.entries[1], true) ==
          "Callback: received\n\nGET https://app.example.com/callback?code=SplxlOBe&state=s1");
    CHECK(ExchangeEntryAsCurl(log.entries[1], true) == "");
    CHECK(ExchangeEntryAsCurl(log.entries[0], false)
              .starts_with("curl -X GET 'https://id.example.com/authorize?"));
    SECTION("a rejected callback is marked failed") {
        RecordNavigation(log, kStepCallback, "https://app.example.com/callback?code=x&state=other", 9100,
                         true, "The state in the callback does not match the request.");
        CHECK(ExchangeEntrySummary(log.entries[2]) == "Callback: received (failed)");
    }
}

TEST_CASE("The flow diagram follows the authorization code grant", "[exchange-log][flow]") {
    ExchangeLog log;
    const std::string grant = "authorization_code";
    CHECK(Describe(DescribeFlow(grant, log, false, false)) ==
          "Authorize:pending Callback:pending Token exchange:pending Done:pending");

    BeginAttempt(log);
    CHECK(Describe(DescribeFlow(grant, log, true, false)) ==
          "Authorize:active Callback:pending Token exchange:pending Done:pending");
    RecordNavigation(log, kStepAuthorizationRequest, "https://id.example.com/authorize?state=s", 0);
    CHECK(Describe(DescribeFlow(grant, log, true, false)) ==
          "Authorize:ok Callback:active Token exchange:pending Done:pending");
    RecordNavigation(log, kStepCallback, "https://app.example.com/callback?code=c&state=s", 5000);
    const std::uint64_t token =
        BeginExchange(log, kStepTokenRequest, {"POST", "https://id.example.com/token", {}, ""}, 5001);
    CHECK(Describe(DescribeFlow(grant, log, true, false)) ==
          "Authorize:ok Callback:ok Token exchange:active Done:pending");

    SECTION("success") {
        CompleteExchange(log, token, JsonResponse(200, R"({"access_token":"a","token_type":"Bearer"})"), 5040,
                         false);
        CHECK(Describe(DescribeFlow(grant, log, false, false)) ==
              "Authorize:ok Callback:ok Token exchange:ok Done:ok");
    }
    SECTION("a failing token exchange is marked failed") {
        CompleteExchange(log, token, JsonResponse(400, R"({"error":"invalid_grant"})"), 5040, true);
        CHECK(Describe(DescribeFlow(grant, log, false, true)) ==
              "Authorize:ok Callback:ok Token exchange:failed Done:skipped");
    }
    SECTION("a new attempt starts from the beginning") {
        CompleteExchange(log, token, JsonResponse(200, "{}"), 5040, false);
        BeginAttempt(log);
        CHECK(Describe(DescribeFlow(grant, log, true, false)) ==
              "Authorize:active Callback:pending Token exchange:pending Done:pending");
    }
}

TEST_CASE("A failed attempt without a failed entry blames the first unfinished step",
          "[exchange-log][flow]") {
    ExchangeLog log;
    BeginAttempt(log);
    const std::string grant = "authorization_code";
    SECTION("popup blocked") {
        CHECK(Describe(DescribeFlow(grant, log, false, true)) ==
              "Authorize:failed Callback:skipped Token exchange:skipped Done:skipped");
    }
    SECTION("state mismatch in the callback, not logged as failed") {
        RecordNavigation(log, kStepAuthorizationRequest, "https://id.example.com/authorize", 0);
        CHECK(Describe(DescribeFlow(grant, log, false, true)) ==
              "Authorize:ok Callback:failed Token exchange:skipped Done:skipped");
    }
    SECTION("a 200 answer the page could not use") {
        const std::uint64_t id = BeginExchange(log, kStepTokenRequest, {"POST", "https://t", {}, ""}, 0);
        CompleteExchange(log, id, JsonResponse(200, "{}"), 10, false);
        CHECK(Describe(DescribeFlow(grant, log, false, true)) ==
              "Authorize:ok Callback:ok Token exchange:failed Done:skipped");
    }
    SECTION("a rejected callback") {
        RecordNavigation(log, kStepAuthorizationRequest, "https://id.example.com/authorize", 0);
        RecordNavigation(log, kStepCallback, "https://app.example.com/callback?error=access_denied", 10,
                         true);
        CHECK(Describe(DescribeFlow(grant, log, false, true)) ==
              "Authorize:ok Callback:failed Token exchange:skipped Done:skipped");
    }
}

TEST_CASE("Direct grants have a token exchange only", "[exchange-log][flow]") {
    for (const std::string grant : {"password", "client_credentials", "refresh_token"}) {
        const std::string first = grant == "refresh_token" ? "Refresh" : "Token exchange";
        ExchangeLog log;
        BeginAttempt(log);
        CHECK(Describe(DescribeFlow(grant, log, true, false)) == first + ":active Done:pending");
        const std::uint64_t id =
            BeginExchange(log, grant == "refresh_token" ? kStepRefresh : kStepTokenRequest,
                          {"POST", "https://t", {}, ""}, 0);
        SECTION(grant + " succeeds") {
            CompleteExchange(log, id, JsonResponse(200, "{}"), 10, false);
            CHECK(Describe(DescribeFlow(grant, log, false, false)) == first + ":ok Done:ok");
        }
        SECTION(grant + " fails at the token exchange") {
            CompleteExchange(log, id, JsonResponse(401, R"({"error":"invalid_client"})"), 10, true);
            CHECK(Describe(DescribeFlow(grant, log, false, true)) == first + ":failed Done:skipped");
        }
        SECTION(grant + " gets no answer") {
            FailExchange(log, id, "Failed to fetch", 10);
            CHECK(Describe(DescribeFlow(grant, log, false, true)) == first + ":failed Done:skipped");
        }
    }
}

TEST_CASE("The device flow waits on the person while polling", "[exchange-log][flow]") {
    ExchangeLog log;
    BeginAttempt(log);
    const std::string grant = "device_code";
    const HttpRequest post{"POST", "https://id.example.com/device", {}, ""};
    // The diagram's states, while the attempt runs or after it ended (failed or not).
    const auto flow = [&](bool running, bool failed) {
        return Describe(DescribeFlow(grant, log, running, failed));
    };
    // One more token poll at 10 s, answered 40 ms later.
    const auto pollAnswered = [&](int status, const char* body, bool failed) {
        const std::uint64_t id = BeginExchange(log, kStepTokenPoll, post, 10000);
        CompleteExchange(log, id, JsonResponse(status, body), 10040, failed);
    };
    const std::uint64_t device = BeginExchange(log, kStepDeviceAuthorization, post, 0);
    CHECK(flow(true, false) ==
          "Device authorization:active User approval:pending Token poll:pending Done:pending");
    CompleteExchange(log, device, JsonResponse(200, R"({"device_code":"d","user_code":"U"})"), 50, false);
    CHECK(flow(true, false) ==
          "Device authorization:ok User approval:active Token poll:pending Done:pending");
    const std::uint64_t poll = BeginExchange(log, kStepTokenPoll, post, 5000);
    CHECK(flow(true, false) == "Device authorization:ok User approval:active Token poll:active Done:pending");
    CompleteExchange(log, poll, JsonResponse(400, R"({"error":"authorization_pending"})"), 5040, false);
    CHECK(flow(true, false) ==
          "Device authorization:ok User approval:active Token poll:pending Done:pending");

    SECTION("a pending answer marked failed by the caller still reads as polling") {
        pollAnswered(400, R"({"error":"slow_down"})", true);
        CHECK(flow(true, false) ==
              "Device authorization:ok User approval:active Token poll:pending Done:pending");
    }
    SECTION("approved") {
        pollAnswered(200, R"({"access_token":"a"})", false);
        CHECK(flow(false, false) == "Device authorization:ok User approval:ok Token poll:ok Done:ok");
        CHECK(Describe(DescribeFlow("urn:ietf:params:oauth:grant-type:device_code", log, false, false)) ==
              "Device authorization:ok User approval:ok Token poll:ok Done:ok");
    }
    SECTION("denied: the poll fails") {
        pollAnswered(400, R"({"error":"access_denied"})", true);
        CHECK(flow(false, true) ==
              "Device authorization:ok User approval:pending Token poll:failed Done:skipped");
    }
    SECTION("the device authorization request fails") {
        ExchangeLog other;
        BeginAttempt(other);
        const std::uint64_t id = BeginExchange(other, kStepDeviceAuthorization, post, 0);
        CompleteExchange(other, id, JsonResponse(400, R"({"error":"invalid_client"})"), 10, true);
        CHECK(Describe(DescribeFlow(grant, other, false, true)) ==
              "Device authorization:failed User approval:skipped Token poll:skipped Done:skipped");
    }
}

TEST_CASE("Revocation, introspection and discovery stay out of the diagram", "[exchange-log][flow]") {
    ExchangeLog log;
    BeginAttempt(log);
    const std::uint64_t id = BeginExchange(log, kStepRevocation, {"POST", "https://r", {}, "token=abc"}, 0);
    CompleteExchange(log, id, HttpResponse{200, {}, ""}, 5, false);
    CHECK(Describe(DescribeFlow("client_credentials", log, false, false)) ==
          "Token exchange:pending Done:pending");
    CHECK(FormatExchangeEntry(log.entries[0], false) ==
          "Revocation: HTTP 200 after 5 ms\n\nPOST https://r\n\n"
          "token=********\n\nHTTP 200");
}
