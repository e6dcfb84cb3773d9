#include "app/signing_key.h"

#include "core/client_assertion.h"

namespace app {

using oauth::Profile;

namespace {

Profile* ProfileWithId(AppState& state, const std::string& id) {
    for (Profile& p : state.profiles)
        if (p.id == id)
            return &p;
    return nullptr;
}

// The key section now waits on `message` for profile `id`'s key `keyText`.
void BeginKeyWork(AppState& s, const std::string& id, const std::string& keyText, const char* message) {
    const bool show = s.signingKey.showKey;
    s.signingKey = {};
    s.signingKey.profileId = id;
    s.signingKey.keyText = keyText;
    s.signingKey.message = message;
    s.signingKey.busy = true;
    s.signingKey.showKey = show;
}

} // namespace

void ShowPublicKey(const Parts& parts) {
    AppState& s = parts.state;
    Profile* p = s.current();
    if (!p || p->privateKey.empty())
        return;
    const std::string algorithm(oauth::ToText(p->signingAlgorithm));
    BeginKeyWork(s, p->id, p->privateKey, "Reading the key…");
    parts.platform.describeSigningKey(
        algorithm, p->privateKey,
        [&s, algorithm, id = p->id, keyText = p->privateKey](bool ok, std::string jwk, std::string error) {
            if (s.signingKey.profileId != id || s.signingKey.keyText != keyText)
                return; // another profile or another key meanwhile
            s.signingKey.busy = false;
            if (!ok) {
                s.signingKey.message = error;
                return;
            }
            const Profile* profile = ProfileWithId(s, id);
            const nlohmann::json registered =
                oauth::RegistrationJwk(nlohmann::json::parse(jwk, nullptr, false), algorithm,
                                       profile ? profile->keyId : std::string());
            s.signingKey.publicJwk = oauth::DumpJson(registered, 2);
            s.signingKey.jwks =
                oauth::DumpJson(nlohmann::json{{"keys", nlohmann::json::array({registered})}}, 2);
            s.signingKey.message.clear();
        });
}

void GenerateSigningKey(const Parts& parts) {
    AppState& s = parts.state;
    Profile* p = s.current();
    if (!p || s.signingKey.busy)
        return;
    BeginKeyWork(s, p->id, p->privateKey, "Generating a key pair…");
    parts.platform.generateSigningKey(
        std::string(oauth::ToText(p->signingAlgorithm)),
        [parts, id = p->id](bool ok, std::string jwk, std::string error) {
            AppState& state = parts.state;
            Profile* profile = ProfileWithId(state, id);
            state.signingKey.busy = false;
            if (!profile)
                return;
            if (!ok) {
                state.signingKey.message = error;
                return;
            }
            profile->privateKey = std::move(jwk);
            parts.store.save(); // sealed under the lock when it is set; otherwise kept for this tab
            state.status =
                parts.store.lockSet()
                    ? "A new key pair was generated; its private key is stored encrypted under "
                      "your passphrase. Register the public key below at the provider."
                    : "A new key pair was generated; its private key is kept for this tab only (set "
                      "a passphrase lock to store it). Register the public key below at the provider.";
            if (state.current() == profile)
                ShowPublicKey(parts);
        });
}

} // namespace app
