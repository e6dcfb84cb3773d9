// Resource indicators (RFC 8707) and the audience parameter: on the authorization request, the
// device authorization request and every token request; kept in storage, the page's own export and
// the Postman collection; checked as absolute URIs.
#include "core/authorization_request.h"
#include "core/device_authorization.h"
#include "core/encoding.h"
#include "core/export_curl.h"
#include "core/export_postman.h"
#include "core/profiles_export.h"
#include "core/resource_indicators.h"
#include "core/revocation.h"
#include "core/token_request.h"
#include "core/url.h"
#include "core/validation.h"
#include "test_helpers.h"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

using namespace oauth;

namespace {

// Two resources typed on two lines (one repeated), and one audience.
Profile WithTargets(Profile p) {
    p.resource = "https://api.example.com/orders\n urn:example:reports  https://api.example.com/orders";
    p.audience = "https://api.example.com";
    return p;
}

const FormParams kTargets = {
    {"resource", "https://api.example.com/orders"},
    {"resource", "urn:example:reports"},
    {"audience", "https://api.example.com"},
};

// The parameters of `params` named resource or audience, in order.
FormParams TargetsOf(const FormParams& params) {
    FormParams found;
    for (const auto& [name, value] : params)
        if (name == "resource" || name == "audience")
            found.emplace_back(name, value);
    return found;
}

FormParams BodyTargets(const HttpRequest& request) {
    return TargetsOf(DecodeForm(request.body));
}

} // namespace

TEST_CASE("Resource and Audience values are split on spaces and new lines, duplicates dropped",
          "[resource]") {
    CHECK(SplitTargets(" a  b\n\tc\r\na ") == std::vector<std::string>{"a", "b", "c"});
    CHECK(SplitTargets("").empty());
    CHECK(SplitTargets(" \n ").empty());
}

TEST_CASE("Every request that asks for a token names the resources and audiences", "[resource]") {
    SECTION("the authorization request, after the nonce and before the Auth. URL Params") {
        Profile p = WithTargets(test::AuthorizationCodeProfile());
        p.authUrlParams = "prompt=consent";
        const AuthorizationRequest request = BuildAuthorizationRequest(p, test::CountingRandom());
        REQUIRE(request.ok());
        const FormParams query = DecodeForm(*ParseUrl(request.url)->query);
        CHECK(TargetsOf(query) == kTargets);
        CHECK(query.back() == std::pair<std::string, std::string>{"prompt", "consent"});
        CHECK(query[query.size() - 5].first == "nonce");
    }
    SECTION("code redemption, refresh, client credentials, password, device authorization and device token") {
        CHECK(BodyTargets(BuildAuthorizationCodeTokenRequest(WithTargets(test::AuthorizationCodeProfile()),
                                                             "c", "v")) == kTargets);
        CHECK(BodyTargets(BuildRefreshTokenRequest(WithTargets(test::AuthorizationCodeProfile()), "r")) ==
              kTargets);
        CHECK(BodyTargets(BuildClientCredentialsTokenRequest(
                  WithTargets(test::ClientCredentialsProfile()))) == kTargets);
        CHECK(BodyTargets(BuildPasswordTokenRequest(WithTargets(test::PasswordProfile()))) == kTargets);
        CHECK(BodyTargets(BuildDeviceAuthorizationRequest(WithTargets(test::DeviceCodeProfile()))) ==
              kTargets);
        CHECK(BodyTargets(BuildDeviceTokenRequest(WithTargets(test::DeviceCodeProfile()), "d")) == kTargets);
    }
    SECTION("the exact body of a client credentials request") {
        Profile p = test::ClientCredentialsProfile();
        p.resource = "urn:example:reports";
        CHECK(BuildClientCredentialsTokenRequest(p).body ==
              "grant_type=client_credentials&scope=api.read+api.write&resource=urn%3Aexample%3Areports");
    }
    SECTION("not on revocation, which is about a token already issued") {
        CHECK(
            BodyTargets(BuildRevocationRequest(WithTargets(test::AuthorizationCodeProfile()), "t")).empty());
    }
    SECTION("nothing is added when both are empty") {
        CHECK(BuildClientCredentialsTokenRequest(test::ClientCredentialsProfile()).body ==
              "grant_type=client_credentials&scope=api.read+api.write");
    }
}

TEST_CASE("A resource must be an absolute URI without a fragment", "[resource]") {
    Profile p = test::ClientCredentialsProfile();
    p.resource = "urn:example:api https://api.example.com/a?x=1";
    CHECK(ValidateProfile(p, {}).empty());
    CHECK(GrantUsesField(GrantType::Password, "resource"));
    CHECK(GrantUsesField(GrantType::DeviceCode, "audience"));

    p.resource = "https://api.example.com/ api.example.com";
    const std::vector<FieldError> errors = ValidateProfile(p, {});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "resource");
    CHECK(errors[0].message ==
          "Resource: \"api.example.com\" is not an absolute URI; RFC 8707 section 2 asks "
          "for one, such as https://api.example.com/ or urn:example:api.");
    CHECK(
        *CheckResourceIndicators("https://api.example.com/#orders") ==
        "Resource: \"https://api.example.com/#orders\" has a fragment (#...), which RFC 8707 section 2 does "
        "not allow.");
    CHECK(*CheckResourceIndicators("1https://x") ==
          "Resource: \"1https://x\" is not an absolute URI; RFC 8707 section 2 asks for one, such as "
          "https://api.example.com/ or urn:example:api.");
    p.resource.clear();
    p.audience = "not a URI is fine";
    CHECK(ValidateProfile(p, {}).empty());
}

TEST_CASE("Resource and Audience are kept in storage and the page's own export", "[resource]") {
    const Profile p = WithTargets(test::ClientCredentialsProfile());
    const nlohmann::json stored = ProfileToJson(p);
    CHECK(stored.at("resource") == p.resource);
    CHECK(stored.at("audience") == p.audience);
    CHECK(ProfileToJson(test::ClientCredentialsProfile()).count("resource") == 0);

    std::vector<DocumentProblem> problems;
    const Profile back = ProfileFromJson(stored, "profiles[0]", problems);
    CHECK(problems.empty());
    CHECK(back.resource == p.resource);
    CHECK(back.audience == p.audience);

    std::vector<Profile> existing;
    const ImportResult imported = ImportProfiles(ExportProfiles({p}, false), existing);
    REQUIRE(existing.size() == 1);
    CHECK(imported.added == std::vector<std::string>{"Demo"});
    CHECK(existing[0].resource == p.resource);
    CHECK(existing[0].audience == p.audience);

    nlohmann::json wrong = stored;
    wrong["resource"] = 7;
    ProfileFromJson(wrong, "profiles[0]", problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].path == "profiles[0].resource");
}

TEST_CASE("Postman and cURL carry the resources and audiences", "[resource][postman]") {
    const Profile p = WithTargets(test::ClientCredentialsProfile());
    const nlohmann::json collection = nlohmann::json::parse(ExportPostmanCollection(p, false));
    nlohmann::json settings = nlohmann::json::object();
    for (const auto& entry : collection.at("auth").at("oauth2"))
        settings[entry.at("key").get<std::string>()] = entry.at("value");
    CHECK(settings.at("resource") == "https://api.example.com/orders urn:example:reports");
    CHECK(settings.at("audience") == "https://api.example.com");
    FormParams body;
    for (const auto& field : collection.at("item").at(0).at("request").at("body").at("urlencoded"))
        body.emplace_back(field.at("key").get<std::string>(), field.at("value").get<std::string>());
    CHECK(TargetsOf(body) == kTargets);

    const std::string curl = ExportCurl(BuildClientCredentialsTokenRequest(p), false);
    CHECK(
        curl.find("resource=https%3A%2F%2Fapi.example.com%2Forders&resource=urn%3Aexample%3Areports&audience="
                  "https%3A%2F%2Fapi.example.com") != std::string::npos);

    SECTION("the authorization code steps open the authorization URL with them") {
        const Profile code = WithTargets(test::AuthorizationCodeProfile());
        const std::string text = ExportPostmanCollection(code, false);
        CHECK(text.find("&resource=https%3A%2F%2Fapi.example.com%2Forders&resource=urn%3Aexample%3Areports"
                        "&audience=https%3A%2F%2Fapi.example.com") != std::string::npos);
    }
}
