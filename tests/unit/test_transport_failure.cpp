#include "core/transport_failure.h"

#include "test_helpers.h"

#include <catch2/catch.hpp>

using namespace oauth;
using namespace oauth::test;

TEST_CASE("A transport failure says the provider did not answer or refused CORS", "[transport]") {
    SECTION("any provider") {
        const EndpointError error =
            DescribeTransportFailure("https://id.example.com/token", "Failed to fetch");
        CHECK(error.code == "network_or_cors");
        CHECK(error.status == 0);
        CHECK(error.message ==
              "The token endpoint did not answer, or refused a call from the browser (CORS); check "
              "the Access Token URL and that the provider allows this page's origin for a browser "
              "(single-page) client.");
        CHECK(test::Lines(error.details) == test::Lines_t{"Access Token URL: https://id.example.com/token",
                                                          "HTTP status: 0 (no answer reached the page)",
                                                          "Browser message: Failed to fetch"});
    }
    SECTION("Microsoft Entra ID: register the Redirect URL as a single-page application") {
        const EndpointError error = DescribeTransportFailure(
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        CHECK(error.message ==
              "Microsoft Entra ID did not answer or refused a call from the browser (CORS); register "
              "the Redirect URL under the \"Single-page application\" platform of the app "
              "registration, not under \"Web\".");
        CHECK(error.details.size() == 2);
    }
}

TEST_CASE("Microsoft Entra token hosts are recognised", "[transport]") {
    CheckAnswers(IsMicrosoftEntraUrl, {{"https://login.microsoftonline.com/common/oauth2/v2.0/token", true},
                                       {"https://LOGIN.MICROSOFTONLINE.US/t/oauth2/token", true},
                                       {"https://contoso.ciamlogin.com/t/oauth2/v2.0/token", true},
                                       {"https://login.microsoft.com/t/oauth2/v2.0/token", true},
                                       {"https://login.microsoftonline.com.evil.com/token", false},
                                       {"https://evilciamlogin.com/token", false},
                                       {"not a url", false}});
}

TEST_CASE("A failed fetch says what happened, with its own next step", "[transport]") {
    TransportFailure f;
    f.url = "http://127.0.0.1:9/token";
    f.browserMessage = "network error";
    f.timeoutSeconds = 30;
    SECTION("nothing answered") {
        f.kind = TransportFailureKind::NoAnswer;
        const EndpointError e = DescribeTransportFailure(f);
        CHECK(
            Line(e) ==
            "no_answer: Nothing answered at 127.0.0.1:9 (connection refused, unknown host, TLS failure or a "
            "blocked port): check the Access Token URL and that the server runs and is reachable "
            "from this browser.");
        CHECK(test::Lines(e.details) == test::Lines_t{"Access Token URL: http://127.0.0.1:9/token",
                                                      "HTTP status: 0 (no answer reached the page)",
                                                      "Browser message: network error"});
    }
    SECTION("timeout") {
        f.kind = TransportFailureKind::Timeout;
        const EndpointError e = DescribeTransportFailure(f);
        CHECK(Line(e) ==
              "timeout: The token endpoint at 127.0.0.1:9 did not answer within 30 s: check the Access Token "
              "URL, or raise Timeout (s) if the server is slow.");
    }
    SECTION("the answer began, then the connection broke: not CORS, whose status the page never sees") {
        FetchResult broken;
        broken.failure = FetchFailure::Broken;
        broken.transportError = "the connection broke after the HTTP 200 headers";
        const auto e = DescribeFetchProblem(broken, ContextFor("http://127.0.0.1:9/token", kTokenEndpoint));
        REQUIRE(e);
        CHECK(Line(*e) ==
              "connection_broken: The token endpoint at 127.0.0.1:9 began to answer, then the "
              "connection broke before the answer was complete, so nothing of it can be used: try "
              "again, and if it keeps happening, the server or a proxy on the way drops the "
              "connection.");
        CHECK(test::Lines(e->details) ==
              test::Lines_t{"Access Token URL: http://127.0.0.1:9/token",
                            "HTTP status: 0 (the answer broke off; the browser gives no part of it)",
                            "Browser message: the connection broke after the HTTP 200 headers"});
    }
    SECTION("another endpoint names its own field") {
        f.kind = TransportFailureKind::NoAnswer;
        f.url = "https://id.example.com/device";
        f.endpoint = kDeviceAuthorizationEndpoint;
        CHECK(
            DescribeTransportFailure(f).message ==
            "Nothing answered at id.example.com (connection refused, unknown host, TLS failure or a blocked "
            "port): check the Device Authorization URL and that the server runs and is reachable from this "
            "browser.");
    }
    SECTION("the relay itself did not answer") {
        f.kind = TransportFailureKind::NoAnswer;
        f.viaRelay = true;
        const EndpointError e = DescribeTransportFailure(f);
        CHECK(Line(e) == "relay_no_answer: This page's own server did not answer at its CORS relay, so "
                         "nothing reached the token "
                         "endpoint: check that serve.py still runs, or turn off \"Use CORS relay\".");
    }
}

TEST_CASE("A CORS refusal names the relay as the next step", "[transport]") {
    TransportFailure f;
    f.url = "https://id.example.com/oauth/token";
    f.kind = TransportFailureKind::Cors;
    const std::string answered =
        "The token endpoint at id.example.com answered but refused this page (CORS): the "
        "provider does not allow browser calls from this page's origin.";
    SECTION("the relay runs and forwards to the host: offer the retry") {
        f.relay = RelayAvailability::Offered;
        const EndpointError e = DescribeTransportFailure(f);
        CHECK(e.code == "cors");
        CHECK(e.message == answered + " Press \"Retry through the relay\" to send it through this page's own "
                                      "server, which browsers' CORS rules do not apply to.");
    }
    SECTION("the relay runs but refuses the host") {
        f.relay = RelayAvailability::HostNotAllowed;
        CHECK(DescribeTransportFailure(f).message ==
              answered +
                  " This page's CORS relay runs but does not forward to id.example.com: restart serve.py "
                  "with --relay-allow id.example.com (or add the host to its allowlist).");
    }
    SECTION("no relay: how to start it") {
        for (RelayAvailability relay : {RelayAvailability::Off, RelayAvailability::Unknown}) {
            f.relay = relay;
            CHECK(DescribeTransportFailure(f).message ==
                  answered +
                      " To send it through this page's own server instead, start the CORS relay "
                      "(./scripts/run.sh starts it by default; serve.py --relay) and turn on \"Use CORS "
                      "relay\".");
        }
    }
    SECTION("Entra keeps its own fix: the Single-page application platform") {
        f.url = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token";
        f.relay = RelayAvailability::Off;
        CHECK(DescribeTransportFailure(f).message ==
              "Microsoft Entra ID answered but refused this page (CORS): register the Redirect URL under the "
              "\"Single-page application\" platform of the app registration, not under \"Web\". To send it "
              "through this page's own server instead, start the CORS relay (./scripts/run.sh starts it by "
              "default; serve.py --relay) and turn on \"Use CORS relay\".");
    }
}

TEST_CASE("An Authorization URL where nothing answers closes the popup with a sentence", "[transport]") {
    const EndpointError none =
        DescribeAuthorizationUrlFailure("http://127.0.0.1:9/authorize", TransportFailureKind::NoAnswer, 30);
    CHECK(none.code == "no_answer");
    CHECK(none.message ==
          "Nothing answered at 127.0.0.1:9 (connection refused, unknown host, TLS failure or a "
          "blocked port), so the consent popup was closed: check the Authorization URL.");
    CHECK(none.details[0].label == "Authorization URL");
    const EndpointError slow = DescribeAuthorizationUrlFailure("https://id.example.com/authorize",
                                                               TransportFailureKind::Timeout, 12);
    CHECK(slow.code == "timeout");
    CHECK(slow.message ==
          "The Authorization URL's server at id.example.com did not answer within 12 s, so the "
          "consent popup was closed: check the Authorization URL.");
}

TEST_CASE("The relay's status says whether it forwards to a host", "[transport][relay]") {
    HttpResponse on{
        200,
        {{"Content-Type", "application/json"}, {"X-OAuth-Setup-Relay", "1"}},
        R"({"relay": true, "allow": ["login.microsoftonline.com", "127.0.0.1:9400", "*.Example.org"]})"};
    const RelayStatus status = ReadRelayStatus(on);
    CHECK(status.running);
    CHECK(status.allow ==
          std::vector<std::string>{"login.microsoftonline.com", "127.0.0.1:9400", "*.example.org"});
    CHECK(RelayAvailabilityFor(status, "https://login.microsoftonline.com/t/oauth2/v2.0/token") ==
          RelayAvailability::Offered);
    CHECK(RelayAvailabilityFor(status, "http://127.0.0.1:9400/token") == RelayAvailability::Offered);
    CHECK(RelayAvailabilityFor(status, "http://127.0.0.1:9401/token") == RelayAvailability::HostNotAllowed);
    CHECK(RelayAvailabilityFor(status, "https://id.example.org/token") == RelayAvailability::Offered);
    CHECK(RelayAvailabilityFor(status, "https://example.org.evil.com/token") ==
          RelayAvailability::HostNotAllowed);
    CHECK(RelayAvailabilityFor(status, "https://evilexample.org/token") == RelayAvailability::HostNotAllowed);
    SECTION("an entry without a port means port 443, as serve.py reads it") {
        CHECK(RelayAvailabilityFor(status, "https://login.microsoftonline.com:8443/t/token") ==
              RelayAvailability::HostNotAllowed);
        CHECK(RelayAvailabilityFor(status, "http://login.microsoftonline.com/t/token") ==
              RelayAvailability::HostNotAllowed);
        const RelayStatus v6 = ReadRelayStatus(
            {200, {{"X-OAuth-Setup-Relay", "1"}}, R"({"relay":true,"allow":["[::1]:9400"]})"});
        CHECK(RelayAvailabilityFor(v6, "http://[::1]:9400/token") == RelayAvailability::Offered);
    }
    SECTION("a host:port entry matches the scheme's default port") {
        const RelayStatus s = ReadRelayStatus(
            {200, {{"X-OAuth-Setup-Relay", "1"}}, R"({"relay":true,"allowedHosts":["id.example.com:443"]})"});
        CHECK(RelayAvailabilityFor(s, "https://id.example.com/token") == RelayAvailability::Offered);
        CHECK(RelayAvailabilityFor(s, "http://id.example.com/token") == RelayAvailability::HostNotAllowed);
    }
    SECTION("off: 404, an answer without the relay's header, or unreadable JSON") {
        CHECK_FALSE(ReadRelayStatus({404, {{"X-OAuth-Setup-Relay", "1"}}, ""}).running);
        CHECK_FALSE(ReadRelayStatus({200, {{"Content-Type", "text/html"}}, R"({"relay": true})"}).running);
        CHECK_FALSE(ReadRelayStatus({200, {{"X-OAuth-Setup-Relay", "1"}}, "<html>"}).running);
        CHECK_FALSE(ReadRelayStatus({200, {{"X-OAuth-Setup-Relay", "1"}}, R"({"relay": "yes"})"}).running);
        CHECK(RelayAvailabilityFor(RelayStatus{}, "https://id.example.com/token") == RelayAvailability::Off);
    }
}

TEST_CASE("What the relay says is never reported as the provider's words", "[transport][relay]") {
    SECTION("something other than the relay answered at /relay: it is off") {
        const auto e = DescribeRelayProblem({404, {{"Content-Type", "text/html"}}, "<h1>Not Found</h1>"},
                                            "https://id.example.com/token");
        REQUIRE(e);
        CHECK(e->code == "relay_off");
        CHECK(e->message ==
              "This page's server runs no CORS relay (it answered HTTP 404 at /relay), so nothing was "
              "sent to the provider: start the relay (./scripts/run.sh starts it by default; serve.py "
              "--relay), or turn off \"Use CORS relay\".");
    }
    SECTION("the relay refused the host") {
        const auto e = DescribeRelayProblem(
            {403,
             {{"X-OAuth-Setup-Relay", "1"}},
             R"({"error":"relay_refused","error_description":"localhost is not on the relay's allowlist."})"},
            "http://localhost:9400/token");
        REQUIRE(e);
        CHECK(e->code == "relay_refused");
        CHECK(e->message ==
              "This page's CORS relay refused to forward the request (relay_refused): localhost is "
              "not on the relay's allowlist.");
        CHECK(e->message.find("provider says") == std::string::npos);
    }
    SECTION("the relay could not reach the provider") {
        const auto e = DescribeRelayProblem({504,
                                             {{"X-OAuth-Setup-Relay", "1"}},
                                             R"({"error":"relay_failed","error_description":"Timed out."})"},
                                            "https://id.example.com/token");
        REQUIRE(e);
        CHECK(e->message == "This page's CORS relay could not reach the provider (relay_failed): Timed out.");
    }
    SECTION("the provider's own answer, forwarded, is the provider's") {
        CHECK_FALSE(
            DescribeRelayProblem({401, {{"X-OAuth-Setup-Relay", "1"}}, R"({"error":"invalid_client"})"},
                                 "https://id.example.com/token"));
    }
}
