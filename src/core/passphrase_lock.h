// Passphrase lock of the stored profiles: client secrets, passwords and tokens are kept encrypted
// at rest (AES-256-GCM with a key from PBKDF2-SHA-256, done by the browser's WebCrypto), the rest
// of each profile stays readable so a locked page can still list and edit profiles.
// The stored document gains {"lock": {"kdf", "iterations", "salt", "iv", "ciphertext"}}.
#pragma once

#include "core/profile.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

inline constexpr std::string_view kLockKdf = "PBKDF2-SHA-256";
// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
inline constexpr int kLockIterations = 600000;

struct LockParams {
    std::string kdf = std::string(kLockKdf);
    int iterations = kLockIterations;
    std::string salt;       // base64, 16 random bytes
    std::string iv;         // base64, 12 random bytes, new for every save
    std::string ciphertext; // base64 AES-GCM output of SecretsOf(...)
};

nlohmann::json LockToJson(const LockParams& lock);
// nullopt when `value` is not a usable lock object (wrong types, unknown kdf, iterations < 100000).
std::optional<LockParams> LockFromJson(const nlohmann::json& value);

// The profiles with clientSecret, password and lastToken emptied: what a locked page shows.
std::vector<Profile> WithoutSecrets(const std::vector<Profile>& profiles);
// {"<id>": {"clientSecret", "password", "lastToken"}} for every profile that has any, keyed by the
// profile's stable id (its Token Name while it has none): the plaintext that gets encrypted.
std::string SecretsOf(const std::vector<Profile>& profiles);
// Puts decrypted secrets back by id, or by Token Name for text sealed before profiles had ids. False (and
// nothing changed) when the text is not the shape SecretsOf writes.
bool RestoreSecrets(std::vector<Profile>& profiles, std::string_view secretsJson);

} // namespace oauth
