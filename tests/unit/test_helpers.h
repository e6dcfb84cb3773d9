#pragma once
// Shared fixtures for the unit tests: a deterministic random source, sample profiles, the headers
// of a form POST, and lists of labelled values as "label: value" lines.
#include "core/detail.h"
#include "core/endpoint_error.h"
#include "core/http.h"
#include "core/pkce.h"
#include "core/profile.h"
#include "core/validation.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace oauth::test {

// Yields 0, 1, 2, ... across calls, so a request's state takes bytes 0..15 and its verifier 16..47.
inline RandomSource CountingRandom() {
    auto next = std::make_shared<std::uint8_t>(0);
    return [next](std::uint8_t* out, std::size_t size) {
        for (std::size_t i = 0; i < size; ++i)
            out[i] = (*next)++;
    };
}

// A complete profile of `grant` at the sample provider id.example.com: the Authorization Code
// client, then what the grant changes (its own credentials, scopes or endpoint).
inline Profile SampleProfile(GrantType grant) {
    Profile p;
    p.tokenName = "Demo";
    p.grantType = grant;
    p.clientId = "client-1";
    p.clientSecret = "s3cret";
    p.redirectUrl = "https://app.example.com/callback";
    p.scopes = "openid profile";
    p.clientAuthentication = oauth::ClientAuthentication::BasicHeader;
    p.authorizationUrl = "https://id.example.com/authorize";
    p.accessTokenUrl = "https://id.example.com/token";
    switch (grant) {
    case GrantType::AuthorizationCode:
        break;
    case GrantType::Password: // RFC 6749 section 4.3.2
        p.username = "alice";
        p.password = "pa ss&word";
        break;
    case GrantType::ClientCredentials:
        p.scopes = "api.read, api.write";
        break;
    case GrantType::DeviceCode: // a public client, as RFC 8628 section 3.1 expects most to be
        p.clientSecret.clear();
        p.authorizationUrl.clear();
        p.redirectUrl.clear();
        p.deviceAuthorizationUrl = "https://id.example.com/device";
        break;
    }
    return p;
}

inline Profile AuthorizationCodeProfile() {
    return SampleProfile(GrantType::AuthorizationCode);
}
inline Profile PasswordProfile() {
    return SampleProfile(GrantType::Password);
}
inline Profile ClientCredentialsProfile() {
    return SampleProfile(GrantType::ClientCredentials);
}
inline Profile DeviceCodeProfile() {
    return SampleProfile(GrantType::DeviceCode);
}

// `p` with the sample provider's revocation (RFC 7009) and introspection (RFC 7662) endpoints.
inline Profile WithToolEndpoints(Profile p) {
    p.revocationUrl = "https://id.example.com/revoke";
    p.introspectionUrl = "https://id.example.com/introspect";
    return p;
}

// The headers of every client-authenticated form POST (authenticated_request.h).
inline const HttpHeaders kFormHeaders = {{"Content-Type", "application/x-www-form-urlencoded"},
                                         {"Accept", "application/json"}};

// kFormHeaders plus an Authorization header, e.g. "Basic Y2xpZW50LTE6czNjcmV0".
inline HttpHeaders WithAuthorization(const std::string& value) {
    HttpHeaders headers = kFormHeaders;
    headers.emplace_back("Authorization", value);
    return headers;
}

using Lines_t = std::vector<std::string>;

// One entry as "label: value" (a detail), "field: message" (a validation error), "path: message"
// (a problem found reading stored data) or "code: message" (an endpoint's error).
inline std::string Line(const Detail& d) {
    return d.label + ": " + d.value;
}
inline std::string Line(const FieldError& e) {
    return e.field + ": " + e.message;
}
inline std::string Line(const DocumentProblem& problem) {
    return problem.path + ": " + problem.message;
}
inline std::string Line(const EndpointError& error) {
    return error.code + ": " + error.message;
}

// Every entry as its Line, so one check compares a whole list, its order and its length, and a
// failing check shows every entry at once.
template <class Entry> Lines_t Lines(const std::vector<Entry>& entries) {
    Lines_t lines;
    for (const Entry& entry : entries)
        lines.push_back(Line(entry));
    return lines;
}

// An answer with a JSON body, as the provider sends it.
inline HttpResponse JsonResponse(int status, std::string body) {
    return {status, {{"Content-Type", "application/json"}}, std::move(body)};
}

// The value under `label`, "(none)" when no detail has it.
inline std::string DetailValue(const Details& details, const std::string& label) {
    for (const Detail& d : details)
        if (d.label == label)
            return d.value;
    return "(none)";
}

// A table-driven test: each row is an input and the output `function` must give for it.
template <class Function>
void CheckOutputs(const Function& function, std::initializer_list<std::pair<std::string, std::string>> rows) {
    for (const auto& [input, output] : rows) {
        CAPTURE(input);
        CHECK(function(input) == output);
    }
}

// A table-driven test of a yes/no question: each row is an input and the answer it must get.
template <class Predicate>
void CheckAnswers(const Predicate& predicate, std::initializer_list<std::pair<std::string, bool>> rows) {
    for (const auto& [input, answer] : rows) {
        CAPTURE(input);
        CHECK(predicate(input) == answer);
    }
}

// The RSA public key of RFC 7638 section 3.1's example (kty, n, e), and the thumbprint the RFC
// gives for it.
inline nlohmann::json Rfc7638ExampleKey() {
    return {
        {"kty", "RSA"},
        {"n",
         "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRX"
         "jBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
         "FDW2QvzqY368QQMicAtaSqzs"
         "8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-"
         "G_x"
         "BniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"},
        {"e", "AQAB"}};
}
inline const std::string kRfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

} // namespace oauth::test
