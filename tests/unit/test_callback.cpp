#include "core/callback.h"

#include <catch2/catch.hpp>

using namespace oauth;

namespace {
constexpr const char* kState = "AAECAwQFBgcICQoLDA0ODw";
constexpr const char* kIssuer = "https://id.example.com";

// A rejected callback as "rejection: message"; any other outcome reads "not rejected".
std::string Rejection(const Callback& callback) {
    if (callback.outcome != CallbackOutcome::Rejected)
        return "not rejected";
    return callback.rejection + ": " + callback.message;
}
} // namespace

TEST_CASE("A callback with a code and the expected state is accepted", "[callback]") {
    SECTION("from the query") {
        const Callback callback = ParseCallback(
            "https://app.example.com/callback?code=Spl%2BxAb&state=AAECAwQFBgcICQoLDA0ODw", kState);
        CHECK(callback.outcome == CallbackOutcome::Code);
        CHECK(callback.code == "Spl+xAb");
        CHECK(callback.state == kState);
        CHECK(callback.rejection == "");
        CHECK(callback.message == "");
    }
    SECTION("from the fragment (response_mode=fragment)") {
        const Callback callback = ParseCallback(
            "https://app.example.com/callback?x=1#state=AAECAwQFBgcICQoLDA0ODw&code=abc", kState);
        CHECK(callback.outcome == CallbackOutcome::Code);
        CHECK(callback.code == "abc");
    }
    SECTION("with the expected issuer (RFC 9207)") {
        const Callback callback =
            ParseCallback("https://app.example.com/"
                          "cb?code=abc&state=AAECAwQFBgcICQoLDA0ODw&iss=https%3A%2F%2Fid.example.com",
                          kState, kIssuer);
        CHECK(callback.outcome == CallbackOutcome::Code);
        CHECK(callback.iss == kIssuer);
    }
    SECTION("without iss when the issuer is known: nothing to compare") {
        const Callback callback = ParseCallback(
            "https://app.example.com/cb?code=abc&state=AAECAwQFBgcICQoLDA0ODw", kState, kIssuer);
        CHECK(callback.outcome == CallbackOutcome::Code);
    }
}

TEST_CASE("A provider error is read with its description and uri", "[callback]") {
    const Callback callback =
        ParseCallback("https://app.example.com/cb?error=access_denied&error_description=The+user+said+no"
                      "&error_uri=https%3A%2F%2Fid.example.com%2Fhelp&state=AAECAwQFBgcICQoLDA0ODw",
                      kState);
    CHECK(callback.outcome == CallbackOutcome::ProviderError);
    CHECK(callback.error == "access_denied");
    CHECK(callback.errorDescription == "The user said no");
    CHECK(callback.errorUri == "https://id.example.com/help");
    CHECK(callback.message ==
          "The resource owner or the authorization server denied the request (access_denied). The provider "
          "says: \"The user said no\" More information: https://id.example.com/help.");
    SECTION("a real server's invalid_request names what is missing") {
        const Callback nonce =
            ParseCallback("https://app.example.com/cb?error=invalid_request&error_description="
                          "nonce%20required&state=AAECAwQFBgcICQoLDA0ODw",
                          kState);
        CHECK(nonce.message == "The authorization server found the request malformed (invalid_request). The "
                               "provider says: \"nonce required\"");
    }
    SECTION("a description only repeating the code, or blank, adds nothing") {
        const Callback same = ParseCallback(
            "https://app.example.com/cb?error=access_denied&error_description=access_denied&state="
            "AAECAwQFBgcICQoLDA0ODw",
            kState);
        CHECK(same.message ==
              "The resource owner or the authorization server denied the request (access_denied).");
        const Callback blank = ParseCallback(
            "https://app.example.com/cb?error=access_denied&error_description=+&state=AAECAwQFBgcICQoLDA0ODw",
            kState);
        CHECK(blank.message ==
              "The resource owner or the authorization server denied the request (access_denied).");
    }
    SECTION("a long description is folded to one line and cut") {
        const Callback longer = ParseCallback(
            "https://app.example.com/cb?error=server_error&error_description=" + std::string(400, 'x') +
                "%0A%0Amore&state=AAECAwQFBgcICQoLDA0ODw",
            kState);
        CHECK(longer.message ==
              "The authorization server hit an unexpected error (server_error). The provider "
              "says: \"" +
                  std::string(300, 'x') + "…\"");
        CHECK(longer.errorDescription == std::string(400, 'x') + "\n\nmore");
    }
    SECTION("an unregistered error code is quoted") {
        const Callback other = ParseCallback(
            "https://app.example.com/cb?error=interaction_required&state=AAECAwQFBgcICQoLDA0ODw", kState);
        CHECK(other.message == "The authorization server returned error \"interaction_required\".");
    }
}

TEST_CASE("Callbacks that cannot be trusted are rejected", "[callback]") {
    SECTION("missing state") {
        const Callback callback = ParseCallback("https://app.example.com/cb?code=abc", kState);
        CHECK(callback.code == "abc");
        CHECK(Rejection(callback) ==
              "state_missing: The callback has no state, so it cannot be tied to this page's request and was "
              "rejected (CSRF protection, RFC 6749 section 10.12).");
    }
    SECTION("mismatched state, even on an error") {
        const Callback callback =
            ParseCallback("https://app.example.com/cb?error=access_denied&state=forged", kState);
        CHECK(callback.error == "access_denied");
        CHECK(Rejection(callback) ==
              "state_mismatch: The callback's state does not match this page's request, so it was rejected "
              "(CSRF protection, RFC 6749 section 10.12).");
    }
    SECTION("an empty state when one was expected") {
        CHECK(ParseCallback("https://app.example.com/cb?code=abc&state=", kState).rejection ==
              "state_mismatch");
    }
    SECTION("no pending request") {
        const Callback callback = ParseCallback("https://app.example.com/cb?code=abc&state=x", "");
        CHECK(Rejection(callback) ==
              "no_pending_request: No authorization request is pending, so this callback was rejected.");
    }
    SECTION("a repeated parameter") {
        const Callback callback =
            ParseCallback("https://app.example.com/cb?code=a&state=AAECAwQFBgcICQoLDA0ODw&code=b", kState);
        CHECK(callback.code == "");
        CHECK(Rejection(callback) == "repeated_parameter: The callback repeats the parameter \"code\", so it "
                                     "was rejected (RFC 6749 section 3.1).");
    }
    SECTION("a different issuer (mix-up attack)") {
        const Callback callback =
            ParseCallback("https://app.example.com/"
                          "cb?code=abc&state=AAECAwQFBgcICQoLDA0ODw&iss=https%3A%2F%2Fevil.example.com",
                          kState, kIssuer);
        CHECK(Rejection(callback) ==
              "issuer_mismatch: The callback comes from issuer \"https://evil.example.com\" instead of "
              "\"https://id.example.com\", so it was rejected (mix-up protection, RFC 9207).");
    }
    SECTION("an empty iss when the issuer is known") {
        CHECK(ParseCallback("https://app.example.com/cb?code=abc&state=AAECAwQFBgcICQoLDA0ODw&iss=", kState,
                            kIssuer)
                  .rejection == "issuer_mismatch");
    }
    SECTION("neither code nor error") {
        const Callback callback =
            ParseCallback("https://app.example.com/cb?state=AAECAwQFBgcICQoLDA0ODw", kState);
        CHECK(Rejection(callback) == "code_missing: The callback carries neither a code nor an error.");
    }
    SECTION("no response parameters at all") {
        const Callback callback = ParseCallback("https://app.example.com/cb?foo=bar#baz", kState);
        CHECK(Rejection(callback) ==
              "no_response_parameters: The callback URL carries no code, state or error parameter.");
    }
    SECTION("not a URL") {
        const Callback callback = ParseCallback("code=abc&state=x", kState);
        CHECK(Rejection(callback) == "unreadable_url: The callback URL could not be read.");
    }
}

TEST_CASE("Without a known issuer, iss is read but not checked", "[callback]") {
    const Callback callback = ParseCallback(
        "https://app.example.com/cb?code=abc&state=AAECAwQFBgcICQoLDA0ODw&iss=https%3A%2F%2Fany.example.com",
        kState);
    CHECK(callback.outcome == CallbackOutcome::Code);
    CHECK(callback.iss == "https://any.example.com");
}

TEST_CASE("The mix-up defence checks iss against the profile's issuer", "[callback][mix-up]") {
    constexpr std::string_view issuer = "https://id.example.com";
    SECTION("the expected iss, or none from a server that does not announce it, is accepted") {
        CHECK(CheckCallbackIssuer(issuer, true, std::string_view("https://id.example.com")).ok());
        CHECK(CheckCallbackIssuer(issuer, false, std::string_view("https://id.example.com")).ok());
        CHECK(CheckCallbackIssuer(issuer, false, std::nullopt).ok());
        CHECK(CheckCallbackIssuer("", false, std::nullopt).ok());
    }
    SECTION("another issuer is rejected, by simple string comparison") {
        for (std::string_view iss : {"https://evil.example.com", "https://id.example.com/", ""}) {
            const IssuerCheck check = CheckCallbackIssuer(issuer, false, iss);
            CHECK(check.rejection == "issuer_mismatch");
            CHECK(check.message == "The callback comes from issuer \"" + std::string(iss) +
                                       "\" instead of \"https://id.example.com\", so it was rejected (mix-up "
                                       "protection, RFC 9207).");
        }
    }
    SECTION("a missing iss is rejected when the metadata says the server sends it") {
        const IssuerCheck check = CheckCallbackIssuer(issuer, true, std::nullopt);
        CHECK(check.rejection == "issuer_missing");
        CHECK(check.message ==
              "The callback has no iss, although the provider's metadata says it always sends "
              "one (authorization_response_iss_parameter_supported), so it was rejected (mix-up "
              "protection, RFC 9207).");
    }
    SECTION("an iss the profile cannot check, having no issuer, is rejected") {
        for (bool supported : {false, true}) {
            const IssuerCheck check =
                CheckCallbackIssuer("", supported, std::string_view("https://any.example.com"));
            CHECK(check.rejection == "issuer_unverifiable");
            CHECK(check.message == "The callback names issuer \"https://any.example.com\", but this profile "
                                   "has no Issuer to compare "
                                   "it with, so it was rejected (mix-up protection, RFC 9207); fill in "
                                   "Issuer or run discovery.");
        }
    }
    SECTION("from a parsed callback: an empty iss is present, an absent one is not") {
        const Callback empty = ParseCallback(
            "https://app.example.com/cb?code=abc&state=" + std::string(kState) + "&iss=", kState);
        CHECK(empty.hasIss);
        CHECK(CheckCallbackIssuer(issuer, false, empty).rejection == "issuer_mismatch");
        const Callback none =
            ParseCallback("https://app.example.com/cb?code=abc&state=" + std::string(kState), kState);
        CHECK_FALSE(none.hasIss);
        CHECK(CheckCallbackIssuer(issuer, true, none).rejection == "issuer_missing");
        CHECK(CheckCallbackIssuer(issuer, false, none).ok());
        const Callback named =
            ParseCallback("https://app.example.com/cb?code=abc&state=" + std::string(kState) +
                              "&iss=https%3A%2F%2Fid.example.com",
                          kState);
        CHECK(CheckCallbackIssuer(issuer, true, named).ok());
        CHECK(CheckCallbackIssuer("", false, named).rejection == "issuer_unverifiable");
    }
}
