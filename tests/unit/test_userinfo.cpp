// The UserInfo endpoint (OpenID Connect Core 1.0 section 5.3): the request, its answers through the
// one answer handler, and the Call UserInfo tool against FakePlatform.
#include "controller_harness.h"
#include "test_helpers.h"

#include "core/userinfo.h"

using app::Intent;
using oauth::test::Harness;

namespace {

const oauth::FetchContext kContext = oauth::ContextFor("https://id.example.com/me", oauth::kUserinfoEndpoint);

oauth::FetchResult Answer(int status, std::string body, std::string type = "application/json") {
    return oauth::ArrivedAnswer(oauth::HttpResponse{status, {{"Content-Type", type}}, std::move(body)});
}

} // namespace

TEST_CASE("UserInfo is a GET with the access token as a Bearer credential", "[userinfo]") {
    const oauth::HttpRequest r = oauth::BuildUserinfoRequest("https://id.example.com/me", "at-1");
    CHECK(r.method == "GET");
    CHECK(r.url == "https://id.example.com/me");
    CHECK(oauth::FindHeader(r.headers, "Authorization") == "Bearer at-1");
    CHECK(r.body.empty());
}

TEST_CASE("UserInfo answers: the claims, or the exact reason", "[userinfo]") {
    const oauth::Userinfo ok =
        oauth::ProcessUserinfoResponse(Answer(200, R"({"sub":"alice","name":"Alice"})"), kContext, "alice");
    REQUIRE(ok.ok());
    CHECK(ok.claims == nlohmann::json{{"sub", "alice"}, {"name", "Alice"}});
    CHECK(ok.message == "The UserInfo endpoint returned 2 claims about \"alice\".");

    const oauth::Userinfo other =
        oauth::ProcessUserinfoResponse(Answer(200, R"({"sub":"bob"})"), kContext, "alice");
    REQUIRE_FALSE(other.ok());
    CHECK(other.message ==
          "The UserInfo endpoint answered for \"bob\", not for the ID token's user \"alice\", so "
          "its claims were not used (OpenID Connect Core 1.0 section 5.3.2).");

    const oauth::Userinfo noSub = oauth::ProcessUserinfoResponse(Answer(200, R"({"name":"x"})"), kContext);
    CHECK(noSub.message == "The UserInfo endpoint answered without a \"sub\" claim (OpenID Connect Core 1.0 "
                           "section 5.3.2 requires it).");

    const oauth::Userinfo jwt =
        oauth::ProcessUserinfoResponse(Answer(200, "eyJ.eyJ.sig", "application/jwt"), kContext);
    CHECK(jwt.message ==
          "The UserInfo endpoint answered with a signed or encrypted JWT (application/jwt, OpenID "
          "Connect Core 1.0 section 5.3.2); this page shows only JSON claims.");

    // oidc-provider's answer to a revoked token (RFC 6750 section 3.1): named as the UserInfo endpoint's.
    const oauth::Userinfo refused = oauth::ProcessUserinfoResponse(
        Answer(401, R"({"error":"invalid_token","error_description":"invalid token provided"})"), kContext);
    REQUIRE(refused.error);
    CHECK(refused.error->code == "invalid_token");
    CHECK(refused.message.find("UserInfo endpoint") != std::string::npos);
    CHECK(refused.message.find("\"invalid token provided\"") != std::string::npos);
}

TEST_CASE("Call UserInfo uses the discovered endpoint and shows the claims", "[userinfo][controller]") {
    Harness h(oauth::test::PasswordProfile());
    h.selected().lastToken = {{"access_token", "at-1"}, {"token_type", "Bearer"}};
    SECTION("no metadata: not sent, and why") {
        h.intent(Intent::CallUserinfo);
        CHECK(h.platform.fetches.empty());
        CHECK(h.state.status ==
              "Not sent: press Discover first; the UserInfo endpoint comes from the provider's "
              "metadata (userinfo_endpoint).");
    }
    SECTION("discovered: a GET with the token, the claims in snapshot().userinfo") {
        oauth::Discovery d;
        d.metadata.userinfoEndpoint = "https://id.example.com/me";
        h.state.discovery = d;
        h.state.discoveredFor = h.selected().tokenName;
        h.intent(Intent::CallUserinfo);
        REQUIRE(h.platform.fetches.size() == 1);
        CHECK(h.platform.fetches[0].request.url == "https://id.example.com/me");
        CHECK(oauth::FindHeader(h.platform.fetches[0].request.headers, "Authorization") == "Bearer at-1");
        REQUIRE(h.platform.respond(0, 200, R"({"sub":"alice","email":"alice@example.com"})"));
        CHECK(h.state.status == "The UserInfo endpoint returned 2 claims about \"alice\".");
        CHECK(h.snapshot()["userinfo"] == "{\n  \"email\": \"alice@example.com\",\n  \"sub\": \"alice\"\n}");
        CHECK(h.state.log.entries.back().step == "UserInfo");
    }
}
