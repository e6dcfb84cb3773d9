#include "core/passphrase_lock.h"

namespace oauth {

using nlohmann::json;

json LockToJson(const LockParams& lock) {
    return {{"kdf", lock.kdf},
            {"iterations", lock.iterations},
            {"salt", lock.salt},
            {"iv", lock.iv},
            {"ciphertext", lock.ciphertext}};
}

std::optional<LockParams> LockFromJson(const json& value) {
    if (!value.is_object())
        return std::nullopt;
    auto text = [&](const char* key) -> std::optional<std::string> {
        auto it = value.find(key);
        if (it == value.end() || !it->is_string() || it->get<std::string>().empty())
            return std::nullopt;
        return it->get<std::string>();
    };
    auto kdf = text("kdf"), salt = text("salt"), iv = text("iv"), ciphertext = text("ciphertext");
    auto iterations = value.find("iterations");
    if (!kdf || *kdf != kLockKdf || !salt || !iv || !ciphertext || iterations == value.end() ||
        !iterations->is_number_integer() || iterations->get<std::int64_t>() < 100000 ||
        iterations->get<std::int64_t>() > 10000000)
        return std::nullopt;
    return LockParams{*kdf, static_cast<int>(iterations->get<std::int64_t>()), *salt, *iv, *ciphertext};
}

std::vector<Profile> WithoutSecrets(const std::vector<Profile>& profiles) {
    std::vector<Profile> out = profiles;
    for (Profile& p : out) {
        p.clientSecret.clear();
        p.password.clear();
        p.privateKey.clear();
        p.lastToken = nullptr;
    }
    return out;
}

std::string SecretsOf(const std::vector<Profile>& profiles) {
    json secrets = json::object();
    for (const Profile& p : profiles) {
        if (p.clientSecret.empty() && p.password.empty() && p.privateKey.empty() && p.lastToken.is_null())
            continue;
        json entry = {{"clientSecret", p.clientSecret}, {"password", p.password}, {"lastToken", p.lastToken}};
        if (!p.privateKey.empty()) // the only place a private key is ever stored (profile.h)
            entry["privateKey"] = p.privateKey;
        secrets[p.id.empty() ? p.tokenName : p.id] = std::move(entry);
    }
    return DumpJson(secrets);
}

bool RestoreSecrets(std::vector<Profile>& profiles, std::string_view secretsJson) {
    json secrets = json::parse(secretsJson, nullptr, false);
    if (!secrets.is_object())
        return false;
    for (const auto& [name, entry] : secrets.items())
        if (!entry.is_object())
            return false;
    for (Profile& p : profiles) {
        // By the stable id; secrets sealed before profiles had ids are keyed by Token Name.
        auto it = p.id.empty() ? secrets.end() : secrets.find(p.id);
        if (it == secrets.end())
            it = secrets.find(p.tokenName);
        if (it == secrets.end())
            continue;
        const json& e = *it;
        if (auto s = e.find("clientSecret"); s != e.end() && s->is_string())
            p.clientSecret = s->get<std::string>();
        if (auto s = e.find("password"); s != e.end() && s->is_string())
            p.password = s->get<std::string>();
        if (auto s = e.find("privateKey"); s != e.end() && s->is_string())
            p.privateKey = s->get<std::string>();
        if (auto s = e.find("lastToken"); s != e.end() && (s->is_object() || s->is_null()))
            p.lastToken = *s;
    }
    return true;
}

} // namespace oauth
