#include "core/token_response.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;

namespace {
// A token answered form-encoded, as by a server that ignored Accept: application/json.
const HttpResponse kFormEncodedToken = {
    200, {{"Content-Type", "application/x-www-form-urlencoded"}}, "access_token=abc&token_type=bearer"};
} // namespace

TEST_CASE("A successful token response is read field by field (RFC 6749 5.1)", "[token-response]") {
    const std::string body =
        R"({"access_token":"abc","token_type":"Bearer","expires_in":3600,"refresh_token":"r1",)"
        R"("scope":"openid profile","id_token":"h.p.s","ext_expires_in":3600,"foo":{"a":1}})";
    const TokenResponse response = ProcessTokenResponse(JsonResponse(200, body));
    REQUIRE(response.ok());
    CHECK_FALSE(response.error.has_value());
    const TokenSuccess& token = *response.success;
    CHECK(token.accessToken == "abc");
    CHECK(token.tokenType == "Bearer");
    CHECK(token.expiresIn == std::optional<std::int64_t>(3600));
    CHECK(token.refreshToken == "r1");
    CHECK(token.scope == "openid profile");
    CHECK(token.idToken == "h.p.s");
    CHECK(Lines(token.otherFields) == Lines_t{"ext_expires_in: 3600", "foo: {\"a\":1}"});
    CHECK(token.warnings.empty());
    CHECK(token.fields.at("foo").at("a") == 1);
    CHECK(token.rawBody == body);
}

TEST_CASE("expires_in may be a number or a numeric string", "[token-response]") {
    const auto expiresIn = [](const std::string& value) {
        const TokenResponse r = ProcessTokenResponse(
            JsonResponse(200, R"({"access_token":"a","token_type":"Bearer","expires_in":)" + value + "}"));
        REQUIRE(r.ok());
        return std::make_pair(r.success->expiresIn, r.success->warnings);
    };
    CHECK(expiresIn("3600").first == std::optional<std::int64_t>(3600));
    CHECK(expiresIn("\"3600\"").first == std::optional<std::int64_t>(3600));
    CHECK(expiresIn("\" 86400 \"").first == std::optional<std::int64_t>(86400));
    CHECK(expiresIn("3599.9").first == std::optional<std::int64_t>(3599));
    SECTION("anything else is ignored with a warning") {
        const auto [soon, soonWarnings] = expiresIn("\"soon\"");
        CHECK_FALSE(soon.has_value());
        CHECK(soonWarnings == Lines_t{"expires_in is not a number of seconds (\"soon\"); it was ignored."});
        const auto [negative, negativeWarnings] = expiresIn("-5");
        CHECK_FALSE(negative.has_value());
        CHECK(negativeWarnings == Lines_t{"expires_in is not a number of seconds (-5); it was ignored."});
        CHECK(expiresIn("null").second ==
              Lines_t{"expires_in is not a number of seconds (null); it was ignored."});
    }
}

TEST_CASE("Deviations in a successful response are warned about", "[token-response]") {
    const TokenResponse response =
        ProcessTokenResponse(JsonResponse(200, R"({"access_token":"a","scope":["x","y"]})"));
    REQUIRE(response.ok());
    CHECK(response.success->warnings == Lines_t{"scope is not a string; it is shown with the other fields.",
                                                "token_type is missing; RFC 6749 section 5.1 requires it."});
    CHECK(Lines(response.success->otherFields) == Lines_t{"scope: [\"x\",\"y\"]"});
}

TEST_CASE("A standard error object becomes one sentence plus details (RFC 6749 5.2)", "[token-response]") {
    const TokenResponse response = ProcessTokenResponse(
        JsonResponse(401, R"({"error":"invalid_client","error_description":"Client authentication failed",)"
                          R"("error_uri":"https://id.example.com/errors#invalid_client"})"));
    REQUIRE_FALSE(response.ok());
    const EndpointError& error = *response.error;
    CHECK(error.code == "invalid_client");
    CHECK(error.message ==
          "The token endpoint did not accept the client's credentials (invalid_client); check Client "
          "ID, Client Secret and Client Authentication. The provider says: \"Client authentication failed\"");
    CHECK(error.status == 401);
    CHECK(Lines(error.details) == Lines_t{"HTTP status: 401", "error: invalid_client",
                                          "error_description: Client authentication failed",
                                          "error_uri: https://id.example.com/errors#invalid_client"});
}

TEST_CASE("Every registered token error code has its own sentence", "[token-response]") {
    const auto message = [](const std::string& code) {
        return ProcessTokenResponse(JsonResponse(400, R"({"error":")" + code + R"("})")).error->message;
    };
    CheckOutputs(
        message,
        {{"invalid_request", "The token endpoint rejected the request as malformed (invalid_request)."},
         {"unauthorized_client", "This client is not allowed to use this grant type (unauthorized_client)."},
         {"unsupported_grant_type",
          "The token endpoint does not support this grant type (unsupported_grant_type)."},
         {"invalid_scope", "The token endpoint rejected the requested scope (invalid_scope)."},
         {"slow_down", "The token endpoint answered with error \"slow_down\"."}});
}

TEST_CASE("Provider variants of the error response", "[token-response][providers]") {
    SECTION("Microsoft Entra ID: AADSTS description, error_codes, trace_id") {
        const TokenResponse response = ProcessTokenResponse(JsonResponse(
            401,
            R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. )"
            R"(Ensure the secret being sent in the request is the client secret value. Trace ID: 0d7f Correlation )"
            R"(ID: 5b3c Timestamp: 2026-11-29 12:00:00Z","error_codes":[7000215],)"
            R"("timestamp":"2026-11-29 12:00:00Z","trace_id":"0d7f","correlation_id":"5b3c",)"
            R"("error_uri":"https://login.microsoftonline.com/error?code=7000215"})"));
        const EndpointError& error = *response.error;
        CHECK(error.code == "invalid_client");
        CHECK(error.message ==
              "Microsoft Entra ID answered invalid_client (AADSTS7000215): Invalid client secret "
              "provided.");
        CHECK(Lines(error.details) ==
              Lines_t{
                  "HTTP status: 401", "error: invalid_client", "AADSTS code: AADSTS7000215",
                  "error_description: AADSTS7000215: Invalid client secret provided. Ensure the secret being "
                  "sent "
                  "in the request is the client secret value. Trace ID: 0d7f Correlation ID: 5b3c Timestamp: "
                  "2026-11-29 12:00:00Z",
                  "error_uri: https://login.microsoftonline.com/error?code=7000215", "error_codes: 7000215",
                  "trace_id: 0d7f", "correlation_id: 5b3c", "timestamp: 2026-11-29 12:00:00Z"});
    }
    SECTION("Microsoft Entra ID: sentence cut at a line break") {
        const TokenResponse response = ProcessTokenResponse(JsonResponse(
            400,
            R"({"error":"invalid_grant","error_description":"AADSTS50148: The code_verifier does not )"
            R"(match the code_challenge supplied in the authorization request for PKCE.\r\nTrace ID: 1"})"));
        CHECK(response.error->message ==
              "Microsoft Entra ID answered invalid_grant (AADSTS50148): The code_verifier "
              "does not match the code_challenge supplied in the authorization request for "
              "PKCE.");
    }
    SECTION("Amazon Cognito: a bare error") {
        const TokenResponse response =
            ProcessTokenResponse(JsonResponse(400, R"({"error":"invalid_grant"})"));
        CHECK(response.error->code == "invalid_grant");
        CHECK(response.error->message == "The token endpoint rejected the grant (invalid_grant): the code, "
                                         "refresh token or user credentials are "
                                         "invalid, expired, already used or issued to another client.");
        CHECK(Lines(response.error->details) == Lines_t{"HTTP status: 400", "error: invalid_grant"});
    }
    SECTION("LinkedIn: error_description") {
        const TokenResponse response = ProcessTokenResponse(JsonResponse(
            400, R"({"error":"invalid_request","error_description":"Unable to retrieve access token: appid/)"
                 R"(redirect uri/code verifier does not match authorization code."})"));
        CHECK(response.error->code == "invalid_request");
        CHECK(response.error->message ==
              "The token endpoint rejected the request as malformed (invalid_request). The provider says: "
              "\"Unable to retrieve access token: appid/redirect uri/code verifier does not match "
              "authorization "
              "code.\"");
        CHECK(Lines(response.error->details) == Lines_t{"HTTP status: 400", "error: invalid_request",
                                                        "error_description: Unable to retrieve access token: "
                                                        "appid/redirect uri/code verifier does not "
                                                        "match authorization code."});
    }
    SECTION("LinkedIn: serviceErrorCode and message, no OAuth error") {
        const TokenResponse response = ProcessTokenResponse(
            JsonResponse(401, R"({"serviceErrorCode":65600,"message":"Invalid access token","status":401})"));
        CHECK(response.error->code == "http_error");
        CHECK(response.error->message == "The token endpoint answered HTTP 401: Invalid access token.");
        CHECK(Lines(response.error->details) == Lines_t{"HTTP status: 401", "message: Invalid access token",
                                                        "serviceErrorCode: 65600", "status: 401"});
    }
    SECTION("an error object instead of a string") {
        const TokenResponse response = ProcessTokenResponse(
            JsonResponse(400, R"({"error":{"code":"BadRequest","message":"Grant missing"}})"));
        CHECK(response.error->code == "BadRequest");
        CHECK(response.error->message ==
              "The token endpoint answered with error \"BadRequest\". The provider says: \"Grant missing\"");
        CHECK(Lines(response.error->details) ==
              Lines_t{"HTTP status: 400", "error: BadRequest", "error_description: Grant missing"});
    }
}

TEST_CASE("A 2xx body carrying error is an error", "[token-response]") {
    const TokenResponse response = ProcessTokenResponse(
        JsonResponse(200, R"({"error":"invalid_grant","error_description":"Code expired"})"));
    REQUIRE_FALSE(response.ok());
    CHECK(response.error->code == "invalid_grant");
    CHECK(Lines(response.error->details) ==
          Lines_t{"HTTP status: 200", "error: invalid_grant", "error_description: Code expired",
                  "Note: The error came with HTTP 200; RFC 6749 section 5.2 expects HTTP 400 (or 401)."});
}

TEST_CASE("Bodies that are not a token response", "[token-response]") {
    SECTION("an HTML page") {
        const TokenResponse response =
            ProcessTokenResponse({404,
                                  {{"content-type", "text/html; charset=utf-8"}},
                                  "\n<!DOCTYPE html><html><body>Not Found</body></html>"});
        CHECK(response.error->code == "html_body");
        CHECK(response.error->message == "The token endpoint answered HTTP 404 with an HTML page instead of "
                                         "JSON; check the Access Token URL.");
        CHECK(Lines(response.error->details) ==
              Lines_t{"HTTP status: 404", "Content-Type: text/html; charset=utf-8",
                      "Body (start): <!DOCTYPE html><html><body>Not Found</body></html>"});
    }
    SECTION("HTML without a content type") {
        CHECK(ProcessTokenResponse({502, {}, "<html>Bad gateway</html>"}).error->code == "html_body");
    }
    SECTION("a form-encoded body (a server that ignored Accept)") {
        const TokenResponse response = ProcessTokenResponse(kFormEncodedToken);
        CHECK(response.error->code == "not_json");
        CHECK(
            response.error->message ==
            "The token endpoint answered HTTP 200 with a body that is not JSON; check the Access Token URL.");
        CHECK(response.error->rawBody == "access_token=abc&token_type=bearer");
    }
    SECTION("an empty body") {
        const TokenResponse response = ProcessTokenResponse({500, {}, " \n"});
        CHECK(response.error->code == "empty_body");
        CHECK(response.error->message == "The token endpoint answered HTTP 500 with an empty body.");
        CHECK(Lines(response.error->details) == Lines_t{"HTTP status: 500"});
    }
    SECTION("JSON that is not an object") {
        const TokenResponse response = ProcessTokenResponse(JsonResponse(200, "[1]"));
        CHECK(response.error->code == "not_json_object");
        CHECK(response.error->message ==
              "The token endpoint answered HTTP 200 with JSON that is not an object.");
    }
    SECTION("success without access_token") {
        const TokenResponse response =
            ProcessTokenResponse(JsonResponse(200, R"({"token_type":"Bearer","error":null})"));
        CHECK(response.error->code == "missing_access_token");
        CHECK(
            response.error->message ==
            "The token endpoint answered HTTP 200 but the JSON has no access_token (RFC 6749 section 5.1).");
    }
    SECTION("an error status without an error object or message") {
        const TokenResponse response = ProcessTokenResponse(JsonResponse(403, R"({"detail":"forbidden"})"));
        CHECK(response.error->code == "http_error");
        CHECK(response.error->message ==
              "The token endpoint answered HTTP 403 without an OAuth error object.");
        CHECK(Lines(response.error->details) == Lines_t{"HTTP status: 403", "detail: forbidden"});
    }
}

TEST_CASE("Status 0 is described as a transport failure", "[token-response]") {
    const TokenResponse response = ProcessTokenResponse({0, {}, ""}, "https://id.example.com/token");
    REQUIRE_FALSE(response.ok());
    CHECK(response.error->code == "network_or_cors");
}

TEST_CASE("Secrets in a failed answer's details are masked", "[token-response][masking]") {
    SECTION("the Body (start) of a form-encoded answer") {
        const TokenResponse response = ProcessTokenResponse(kFormEncodedToken);
        CHECK(Lines(response.error->details) ==
              Lines_t{"HTTP status: 200", "Content-Type: application/x-www-form-urlencoded",
                      "Body (start): access_token=********&token_type=bearer"});
    }
    SECTION("the Body (start) of a cut JSON whose secret straddles the cut") {
        const std::string body = R"({"token_type":"Bearer","refresh_token":")" + std::string(400, 'r');
        const TokenResponse response = ProcessTokenResponse({200, {}, body});
        CHECK(
            Lines(response.error->details) ==
            Lines_t{"HTTP status: 200", R"(Body (start): {"token_type":"Bearer","refresh_token":"********)"});
    }
    SECTION("the members of an error answer without an OAuth error object") {
        const TokenResponse response = ProcessTokenResponse(
            {502, {}, R"({"message":"upstream failed","echo":{"client_secret":"cs"},"password":"p"})"});
        CHECK(Lines(response.error->details) == Lines_t{"HTTP status: 502",
                                                        "echo: {\"client_secret\":\"********\"}",
                                                        "message: upstream failed", "password: ********"});
    }
}
