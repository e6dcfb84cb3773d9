// Pushed authorization requests (RFC 9126): when the page pushes, what the push carries, how its
// answer is read (201 with request_uri, RFC 6749 errors, any other status), and the popup's URL.
#include "core/authorization_request.h"
#include "core/encoding.h"
#include "core/pushed_authorization.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

using namespace oauth;

namespace {

DiscoveryMetadata ParMetadata() {
    DiscoveryMetadata m;
    m.issuer = "https://id.example.com";
    m.pushedAuthorizationRequestEndpoint = "https://id.example.com/par";
    return m;
}

PushedAuthorization Answer(int status, std::string body) {
    FetchResult fetched;
    fetched.response = test::JsonResponse(status, std::move(body));
    FetchContext context;
    context.url = "https://id.example.com/par";
    context.endpoint = kPushedAuthorizationEndpoint;
    return ProcessPushedAuthorizationResponse(fetched, context);
}

std::vector<std::string> Names(const FormParams& params) {
    std::vector<std::string> names;
    for (const auto& [name, value] : params)
        names.push_back(name);
    return names;
}

} // namespace

TEST_CASE("PAR is used when ticked and offered, always when required", "[par]") {
    Profile p = test::AuthorizationCodeProfile();
    DiscoveryMetadata m = ParMetadata();
    CHECK_FALSE(DecidePar(p, &m).use);
    CHECK(DecidePar(p, &m).note.empty());

    p.usePar = true;
    ParDecision ticked = DecidePar(p, &m);
    CHECK(ticked.use);
    CHECK_FALSE(ticked.required);
    CHECK(ticked.endpoint == "https://id.example.com/par");
    CHECK(ticked.refusal.empty());

    SECTION("required by the metadata: used with Use PAR off, and the form says so") {
        p.usePar = false;
        m.requirePushedAuthorizationRequests = true;
        const ParDecision required = DecidePar(p, &m);
        CHECK(required.use);
        CHECK(required.required);
        CHECK(required.note ==
              "The provider requires pushed authorization requests "
              "(require_pushed_authorization_requests), so PAR is always used for this profile.");
    }
    SECTION("ticked without metadata, or metadata without the endpoint: refused, nothing sent") {
        CHECK(DecidePar(p, nullptr).refusal ==
              "Use PAR needs the provider's pushed_authorization_request_endpoint: "
              "press Discover to read the provider's metadata.");
        CHECK_FALSE(DecidePar(p, nullptr).use);
        m.pushedAuthorizationRequestEndpoint.clear();
        CHECK(DecidePar(p, &m).refusal == "Use PAR is ticked, but the provider's metadata names no "
                                          "pushed_authorization_request_endpoint (RFC 9126 section 5).");
        CHECK(DecidePar(p, &m).note == DecidePar(p, &m).refusal);
    }
    SECTION("only the authorization code grant has an authorization request") {
        p.grantType = GrantType::ClientCredentials;
        m.requirePushedAuthorizationRequests = true;
        CHECK_FALSE(DecidePar(p, &m).use);
        CHECK(DecidePar(p, &m).note.empty());
    }
}

TEST_CASE("An unpushed request's invalid_request names PAR only when the provider offers it", "[par]") {
    Profile p = test::AuthorizationCodeProfile();
    const DiscoveryMetadata m = ParMetadata();
    const std::string hint = "The request was not pushed: if the client is registered with "
                             "require_pushed_authorization_requests (RFC 9126 section 6), tick Use PAR; the "
                             "provider offers it.";
    CHECK(DescribeUnpushedRefusal(DecidePar(p, &m), "invalid_request") == hint);
    CHECK(DescribeUnpushedRefusal(DecidePar(p, &m), "access_denied").empty());
    CHECK(DescribeUnpushedRefusal(DecidePar(p, nullptr), "invalid_request").empty());
    p.usePar = true; // pushed: the refusal is about something else
    CHECK(DescribeUnpushedRefusal(DecidePar(p, &m), "invalid_request").empty());
}

TEST_CASE("The push carries every authorization parameter, authenticated like a token request", "[par]") {
    Profile p = test::AuthorizationCodeProfile();
    p.resource = "urn:example:api";
    p.audience = "https://api.example.com";
    p.authUrlParams = "prompt=consent";
    const AuthorizationRequest authorization = BuildAuthorizationRequest(p, test::CountingRandom());
    REQUIRE(authorization.ok());

    SECTION("Basic: client_id stays in the body, as RFC 9126 section 2.1's example has it") {
        const HttpRequest push =
            BuildPushedAuthorizationRequest(p, "https://id.example.com/par", authorization.params);
        CHECK(push.method == "POST");
        CHECK(push.url == "https://id.example.com/par");
        CHECK(FindHeader(push.headers, "Authorization") ==
              std::optional<std::string>("Basic Y2xpZW50LTE6czNjcmV0"));
        CHECK(DecodeForm(push.body) == authorization.params);
        CHECK(Names(authorization.params) ==
              std::vector<std::string>{"response_type", "client_id", "redirect_uri", "scope", "state",
                                       "code_challenge", "code_challenge_method", "nonce", "resource",
                                       "audience", "prompt"});
    }
    SECTION("credentials in the body: client_id once, then the secret") {
        p.clientAuthentication = ClientAuthentication::Body;
        const FormParams body = DecodeForm(
            BuildPushedAuthorizationRequest(p, "https://id.example.com/par", authorization.params).body);
        CHECK(std::count_if(body.begin(), body.end(),
                            [](const auto& kv) { return kv.first == "client_id"; }) == 1);
        CHECK(body.back() == std::pair<std::string, std::string>{"client_secret", "s3cret"});
    }
    SECTION("the popup then opens with client_id and request_uri only (RFC 9126 section 4)") {
        CHECK(PushedAuthorizationUrl("https://id.example.com/authorize?p=B2C_1", "client-1",
                                     "urn:ietf:params:oauth:request_uri:abc") ==
              "https://id.example.com/"
              "authorize?p=B2C_1&client_id=client-1&request_uri=urn%3Aietf%3Aparams%3Aoauth%"
              "3Arequest_uri%3Aabc");
    }
}

TEST_CASE("The push's answer: 201 with request_uri, or one of the endpoint's errors", "[par]") {
    const PushedAuthorization ok =
        Answer(201, R"({"request_uri":"urn:ietf:params:oauth:request_uri:x","expires_in":60})");
    REQUIRE(ok.ok());
    CHECK(ok.requestUri == "urn:ietf:params:oauth:request_uri:x");
    CHECK(ok.expiresIn == 60);

    const std::vector<std::pair<PushedAuthorization, std::string>> cases = {
        {Answer(401, R"({"error":"invalid_client","error_description":"client authentication failed"})"),
         "The pushed authorization request endpoint did not accept the client's credentials "
         "(invalid_client); "
         "check Client ID, Client Secret and Client Authentication. The provider says: \"client "
         "authentication "
         "failed\""},
        {Answer(400,
                R"({"error":"invalid_request","error_description":"missing required parameter 'scope'"})"),
         "The pushed authorization request endpoint rejected the request as malformed (invalid_request). The "
         "provider says: \"missing required parameter 'scope'\""},
        {Answer(200, R"({"request_uri":"urn:x","expires_in":60})"),
         "The pushed authorization request endpoint answered HTTP 200, not 201 Created (RFC 9126 section "
         "2.2), so "
         "its answer was not used."},
        {Answer(201, R"({"expires_in":60})"),
         "The pushed authorization request endpoint answered without a request_uri (RFC 9126 section 2.2)."},
    };
    for (const auto& [answer, sentence] : cases) {
        REQUIRE_FALSE(answer.ok());
        CHECK(answer.error->message == sentence);
        CHECK(answer.error->endpoint.name == kPushedAuthorizationEndpoint.name);
    }
}
