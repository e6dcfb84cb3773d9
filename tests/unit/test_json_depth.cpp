// The depth limit on untrusted JSON: a text nested deeper than 64 levels is refused with a clear
// message by every reader, before nlohmann sees it. The [deep] cases feed 6,000-level documents,
// as reproduced against the page (its stored data crashed every reload; a token answer froze it);
// the wasm unit-test build runs them with the page's stack size.
#include "core/json_depth.h"

#include "core/device_authorization.h"
#include "core/discovery.h"
#include "core/encoding.h"
#include "core/exchange_log.h"
#include "core/introspection.h"
#include "core/jwt.h"
#include "core/masking.h"
#include "core/postman_import.h"
#include "core/profiles_export.h"
#include "core/revocation.h"
#include "core/storage.h"
#include "core/token_response.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;

namespace {

constexpr int kDeep = 6000;

// `levels` arrays around a value, e.g. Nested(2, "1") == "[[1]]".
std::string Nested(int levels, std::string_view inner = "1", char open = '[', char close = ']') {
    const auto count = static_cast<std::size_t>(levels);
    return std::string(count, open) + std::string(inner) + std::string(count, close);
}

// An object with the deep array as a member, so readers that want an object go on reading it.
std::string DeepMember(std::string_view key) {
    return "{\"" + std::string(key) + "\":" + Nested(kDeep) + "}";
}

} // namespace

TEST_CASE("Nesting is counted in one pass over the text", "[deep]") {
    CHECK_FALSE(NestsDeeperThan(Nested(64)));
    CHECK(NestsDeeperThan(Nested(65)));
    CHECK_FALSE(NestsDeeperThan(Nested(63, "{}", '{', '}')));
    CHECK(NestsDeeperThan(Nested(64, "{}", '{', '}')));
    CHECK(NestsDeeperThan(std::string(65, '{')));
    CHECK_FALSE(NestsDeeperThan(std::string(1000, '[') + std::string(1000, ']'), 1000));
    SECTION("closed levels do not add up") {
        std::string siblings = "[";
        for (int i = 0; i < 1000; ++i)
            siblings += Nested(60) + ",";
        siblings += "1]";
        CHECK_FALSE(NestsDeeperThan(siblings));
    }
    SECTION("brackets inside strings are text, escapes included") {
        CHECK_FALSE(NestsDeeperThan("[\"" + std::string(100, '[') + "\"]"));
        CHECK_FALSE(NestsDeeperThan(R"(["\"[[[[", "\\"])"));
        CHECK(NestsDeeperThan(R"(["\\")" + std::string(65, '[')));
    }
    SECTION("the parse wrapper says why it gave nothing") {
        bool tooDeep = true;
        CHECK(ParseUntrustedJson(Nested(64), &tooDeep).is_array());
        CHECK_FALSE(tooDeep);
        CHECK(ParseUntrustedJson("{oops", &tooDeep).is_discarded());
        CHECK_FALSE(tooDeep);
        CHECK(ParseUntrustedJson(Nested(65), &tooDeep).is_discarded());
        CHECK(tooDeep);
    }
}

TEST_CASE("Stored data nested too deep is kept as unreadable text", "[deep][storage]") {
    const std::string text =
        R"({"version":1,"profiles":[{"tokenName":"A","lastToken":)" + Nested(kDeep) + "}]}";
    const StorageDocument document = DecodeDocument(text);
    CHECK(document.status == DocumentStatus::Broken);
    CHECK(document.message ==
          "The saved profiles are nested deeper than 64 levels, so they were not read; the "
          "text was kept as it is and will not be overwritten.");
    CHECK(document.rawText == text);
    CHECK(document.profiles.empty());
    CHECK(MustNotOverwrite(document));
}

TEST_CASE("Endpoint answers nested too deep are refused, naming the endpoint", "[deep]") {
    SECTION("the token endpoint") {
        const TokenResponse result = ProcessTokenResponse(JsonResponse(200, DeepMember("access_token")));
        REQUIRE(result.error);
        CHECK(result.error->code == "too_deep");
        CHECK(result.error->message ==
              "The token endpoint's answer is nested deeper than 64 levels; it was not read.");
    }
    SECTION("a device poll") {
        const DevicePoll poll = ClassifyDevicePollResponse(JsonResponse(400, DeepMember("error")));
        CHECK(poll.outcome == DevicePollOutcome::Failed);
        CHECK(poll.message ==
              "The token endpoint's answer is nested deeper than 64 levels; it was not read.");
    }
    SECTION("the device authorization endpoint") {
        const DeviceAuthorization da =
            ProcessDeviceAuthorizationResponse(JsonResponse(200, DeepMember("device_code")));
        REQUIRE(da.error);
        CHECK(da.error->message ==
              "The device authorization endpoint's answer is nested deeper than 64 levels; it was not read.");
    }
    SECTION("the introspection endpoint") {
        const Introspection result = ProcessIntrospectionResponse(JsonResponse(200, DeepMember("active")));
        REQUIRE(result.error);
        CHECK(result.error->message ==
              "The introspection endpoint's answer is nested deeper than 64 levels; it was not read.");
    }
    SECTION("the revocation endpoint") {
        const RevocationResult result = ProcessRevocationResponse(JsonResponse(400, DeepMember("error")));
        REQUIRE(result.error);
        CHECK(result.message ==
              "The revocation endpoint's answer is nested deeper than 64 levels; it was not read.");
    }
    SECTION("the discovery document") {
        const Discovery discovery = ProcessDiscoveryResponse(JsonResponse(200, DeepMember("issuer")));
        CHECK(discovery.code == "too_deep");
        CHECK(discovery.error == "The discovery document is nested deeper than 64 levels; it was not read.");
    }
}

TEST_CASE("Imported files nested too deep are refused", "[deep]") {
    SECTION("a profiles export") {
        std::vector<Profile> existing;
        const ImportResult result = ImportProfiles(
            R"({"format":"oauth-setup-profiles","version":1,"profiles":)" + Nested(kDeep) + "}", existing);
        CHECK(result.error == "The file is nested deeper than 64 levels; it was not read.");
        CHECK(existing.empty());
    }
    SECTION("a Postman collection") {
        const PostmanImportResult result = ImportPostmanCollection(
            R"({"info":{"name":"c"},"item":)" + Nested(kDeep, "{}") + "}", "https://h/cb");
        CHECK(result.error == "The file is nested deeper than 64 levels; it was not read.");
        CHECK(result.profiles.empty());
    }
}

TEST_CASE("Other readers of untrusted JSON survive deep text", "[deep]") {
    SECTION("a JWT whose payload is nested too deep") {
        const std::string token =
            Base64UrlEncode(R"({"alg":"none"})") + "." + Base64UrlEncode(Nested(kDeep)) + ".sig";
        const DecodedJwt decoded = DecodeJwt(token);
        CHECK_FALSE(decoded.isJwt);
        CHECK(decoded.note == "The token's JWT content is nested deeper than 64 levels; it was not decoded.");
    }
    SECTION("the log's masking of a deep answer and request") {
        const std::string body = Nested(kDeep, R"({"access_token":"at"})", '[', ']');
        CHECK(MaskResponseBodyForDisplay(body, false) == Nested(kDeep, R"({"access_token":"********"})"));
        const HttpRequest request{"POST", "https://h/t", {}, Nested(kDeep, R"({"client_secret":"cs"})")};
        CHECK(MaskRequestForDisplay(request, false).body == Nested(kDeep, R"({"client_secret":"********"})"));
    }
    SECTION("the log and the flow diagram of a deep device poll") {
        ExchangeLog log;
        BeginAttempt(log);
        const auto id = BeginExchange(log, kStepTokenPoll, HttpRequest{"POST", "https://h/t", {}, ""}, 0);
        CompleteExchange(log, id, JsonResponse(400, DeepMember("error")), 5, true, "");
        CHECK(ExchangeEntrySummary(log.entries.back()) == "Token poll: HTTP 400 after 5 ms (failed)");
        // Not a "keep polling" answer: the deep body is not read as authorization_pending.
        const std::vector<FlowStepStatus> flow = DescribeFlow("device_code", log, false, true);
        REQUIRE(flow.size() == 4);
        CHECK(flow[2].state == FlowState::Failed);
        const std::string shown = FormatExchangeEntry(log.entries.back(), false);
        CHECK(shown.substr(shown.size() - 3) == "]]}");
    }
}
