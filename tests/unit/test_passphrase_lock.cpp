#include "core/passphrase_lock.h"

#include <catch2/catch.hpp>

using namespace oauth;

namespace {
Profile Named(const std::string& name, const std::string& secret, const std::string& password) {
    Profile p;
    p.tokenName = name;
    p.clientId = name + "-id";
    p.clientSecret = secret;
    p.password = password;
    return p;
}
} // namespace

TEST_CASE("A locked document keeps everything but secrets, passwords and tokens readable", "[lock]") {
    std::vector<Profile> profiles = {Named("A", "s:1", "pw"), Named("B", "", "")};
    profiles[0].lastToken = {{"access_token", "at"}, {"obtained_at", 5}};
    const std::vector<Profile> stripped = WithoutSecrets(profiles);
    CHECK(stripped[0].clientId == "A-id");
    CHECK(stripped[0].clientSecret.empty());
    CHECK(stripped[0].password.empty());
    CHECK(stripped[0].lastToken.is_null());
    CHECK(
        SecretsOf(profiles) ==
        R"({"A":{"clientSecret":"s:1","lastToken":{"access_token":"at","obtained_at":5},"password":"pw"}})");
}

TEST_CASE("Secrets go back to their profiles by Token Name", "[lock]") {
    std::vector<Profile> profiles = {Named("A", "s:1", "pw"), Named("B", "b-secret", "")};
    const std::string secrets = SecretsOf(profiles);
    std::vector<Profile> stripped = WithoutSecrets(profiles);
    REQUIRE(RestoreSecrets(stripped, secrets));
    CHECK(stripped[0].clientSecret == "s:1");
    CHECK(stripped[0].password == "pw");
    CHECK(stripped[1].clientSecret == "b-secret");
    SECTION("text that is not what SecretsOf writes changes nothing") {
        std::vector<Profile> again = WithoutSecrets(profiles);
        CHECK_FALSE(RestoreSecrets(again, "not json"));
        CHECK_FALSE(RestoreSecrets(again, R"({"A": 5})"));
        CHECK(again[0].clientSecret.empty());
    }
}

TEST_CASE("The lock object round-trips and refuses weak or malformed parameters", "[lock]") {
    LockParams lock;
    lock.salt = "c2FsdA==";
    lock.iv = "aXY=";
    lock.ciphertext = "Y3Q=";
    const auto back = LockFromJson(LockToJson(lock));
    REQUIRE(back);
    CHECK(back->iterations == 600000);
    CHECK(back->kdf == "PBKDF2-SHA-256");
    CHECK(back->ciphertext == "Y3Q=");
    nlohmann::json weak = LockToJson(lock);
    weak["iterations"] = 1000;
    CHECK_FALSE(LockFromJson(weak));
    nlohmann::json otherKdf = LockToJson(lock);
    otherKdf["kdf"] = "scrypt";
    CHECK_FALSE(LockFromJson(otherKdf));
    nlohmann::json noSalt = LockToJson(lock);
    noSalt.erase("salt");
    CHECK_FALSE(LockFromJson(noSalt));
    CHECK_FALSE(LockFromJson(nlohmann::json::array()));
}
