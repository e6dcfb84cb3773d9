#include "core/endpoint_error.h"

#include "core/token_response.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace oauth;
using namespace oauth::test;

namespace {

struct Named {
    Endpoint endpoint;
    std::string the; // how its sentences start
};

const std::vector<Named> kEndpoints = {
    {kTokenEndpoint, "The token endpoint"},
    {kDeviceAuthorizationEndpoint, "The device authorization endpoint"},
    {kRevocationEndpoint, "The revocation endpoint"},
    {kIntrospectionEndpoint, "The introspection endpoint"},
};

} // namespace

TEST_CASE("An endpoint error is worded once, from the endpoint's name", "[endpoint-error]") {
    for (const Named& named : kEndpoints) {
        const std::string label(named.endpoint.urlLabel);
        INFO(named.the);
        const EndpointError invalidClient = DescribeEndpointError(
            JsonResponse(401, R"({"error":"invalid_client","error_description":"bad secret",)"
                              R"("error_uri":"https://id.example.com/help"})"),
            "https://id.example.com/x", named.endpoint);
        CHECK(invalidClient.message == named.the +
                                           " did not accept the client's credentials (invalid_client); check "
                                           "Client ID, Client Secret and Client Authentication. The provider "
                                           "says: \"bad secret\"");
        CHECK(invalidClient.endpoint.name == named.endpoint.name);
        CHECK(invalidClient.code == "invalid_client");
        CHECK(invalidClient.description == "bad secret");
        CHECK(invalidClient.uri == "https://id.example.com/help");
        CHECK(invalidClient.status == 401);

        CHECK(DescribeEndpointError({404, {{"Content-Type", "text/html"}}, "<html>gone</html>"}, "",
                                    named.endpoint)
                  .message ==
              named.the + " answered HTTP 404 with an HTML page instead of JSON; check the " + label + ".");
        CHECK(DescribeEndpointError({502, {}, "Bad Gateway"}, "", named.endpoint).message ==
              named.the + " answered HTTP 502 with a body that is not JSON; check the " + label + ".");
        CHECK(DescribeEndpointError({500, {}, ""}, "", named.endpoint).message ==
              named.the + " answered HTTP 500 with an empty body.");
        CHECK(DescribeEndpointError(JsonResponse(400, "[1]"), "", named.endpoint).message ==
              named.the + " answered HTTP 400 with JSON that is not an object.");
        CHECK(DescribeEndpointError(JsonResponse(403, "{}"), "", named.endpoint).message ==
              named.the + " answered HTTP 403 without an OAuth error object.");
        CHECK(DescribeEndpointError(JsonResponse(400, std::string(100, '[') + std::string(100, ']')), "",
                                    named.endpoint)
                  .message == named.the + "'s answer is nested deeper than 64 levels; it was not read.");

        const EndpointError none = DescribeEndpointError({}, "https://id.example.com/x", named.endpoint);
        CHECK(none.code == "network_or_cors");
        CHECK(none.message ==
              named.the + " did not answer, or refused a call from the browser (CORS); check the " + label +
                  " and that the provider allows this page's origin for a browser (single-page) client. If "
                  "the provider refuses browsers, turn on \"Use CORS relay\" (needs serve.py --relay).");
        CHECK(none.details.front().label == label);
        CHECK(none.status == 0);
    }
}

TEST_CASE("The provider's own words are quoted unchanged, whatever they say", "[endpoint-error]") {
    const HttpResponse answer = JsonResponse(
        400,
        R"({"error":"invalid_request","error_description":"The token endpoint of tenant A refused it"})");
    SECTION("at the revocation endpoint, \"The token endpoint\" in the description stays") {
        const EndpointError error = DescribeEndpointError(answer, "", kRevocationEndpoint);
        CHECK(error.message == "The revocation endpoint rejected the request as malformed (invalid_request). "
                               "The provider says: \"The token endpoint of tenant A refused it\"");
        CHECK(error.description == "The token endpoint of tenant A refused it");
    }
    SECTION("the same at the token endpoint") {
        const TokenResponse response = ProcessTokenResponse(answer);
        REQUIRE(response.error);
        CHECK(response.error->message == "The token endpoint rejected the request as malformed "
                                         "(invalid_request). The provider says: \"The token endpoint of "
                                         "tenant A refused it\"");
    }
    SECTION("a message that names the Access Token URL is not renamed either") {
        const EndpointError error = DescribeEndpointError(
            JsonResponse(404, R"({"message":"Check the Access Token URL"})"), "", kIntrospectionEndpoint);
        CHECK(error.message == "The introspection endpoint answered HTTP 404: Check the Access Token URL.");
        CHECK(error.description == "Check the Access Token URL");
    }
}

TEST_CASE("A 2xx JSON object without \"error\" is the endpoint's own answer", "[endpoint-error]") {
    nlohmann::json body;
    CHECK_FALSE(ReadErrorAnswer(JsonResponse(200, R"({"active":false})"), kIntrospectionEndpoint, &body));
    CHECK(body == nlohmann::json{{"active", false}});
    const auto error = ReadErrorAnswer(JsonResponse(200, R"({"error":"invalid_scope"})"), kTokenEndpoint);
    REQUIRE(error);
    CHECK(error->message == "The token endpoint rejected the requested scope (invalid_scope).");
    CHECK(
        DescribeEndpointError(JsonResponse(200, R"({"active":true})"), "", kRevocationEndpoint).message ==
        "The revocation endpoint answered HTTP 200 with a token response, which this step does not expect.");
}
