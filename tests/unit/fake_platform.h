#pragma once
// FakePlatform: platform::Platform for native tests of the Controller. Everything the app asks of
// the browser is recorded; nothing happens on its own. A fetch's `done` runs only when the test
// answers it (respond / failTransport), which stands for "a later frame", and the clock moves
// only when the test sets it. Storage is an in-memory map whose writes can be made to fail.
// Like the browser, every answer and event goes through the Platform's one queue: answers
// (respond, failTransport, answerProbe, choose, runCrypto) are posted and the queue is run at
// once; events (callbackArrives, personClosesPopup, otherTabSaves) are only posted, and reach the
// Listener when the test runs the next frame's queue (runQueued).
#include "platform/platform.h"

#include "core/encoding.h"
#include "core/sha256.h"

#include "id_token_fixture.h"

#include <nlohmann/json.hpp>

#include "fake_signer.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace oauth::test {

class FakePlatform : public platform::Platform {
  public:
    struct Fetch {
        int id = 0;
        oauth::HttpRequest request;
        int timeoutMs = 0;
        std::function<void(platform::FetchResult)> done;
        bool cancelled = false; // the app called cancelFetch
        bool answered = false;  // the test delivered an answer
    };
    struct Download {
        std::string fileName;
        std::string mimeType;
        std::string text;
    };
    struct Write {
        std::string key;
        std::string value;
        bool ok = true;
    };

    // ---- Storage -------------------------------------------------------------------------------
    std::map<std::string, std::string> storage;
    bool failAllWrites = false;        // e.g. storage disabled
    std::set<std::string> failingKeys; // writes to these keys fail
    std::string writeError = "QuotaExceededError: the quota has been exceeded";
    std::vector<Write> writes; // every saveText call, in order, failed ones included

    std::optional<std::string> loadText(const std::string& key) override {
        auto it = storage.find(key);
        if (it == storage.end())
            return std::nullopt;
        return it->second;
    }
    platform::StorageWrite saveText(const std::string& key, const std::string& value) override {
        const bool fails = failAllWrites || failingKeys.count(key) > 0;
        writes.push_back({key, value, !fails});
        if (fails)
            return {false, writeError};
        storage[key] = value;
        return {};
    }
    std::vector<std::string> storageKeys(const std::string& prefix) override {
        std::vector<std::string> keys;
        for (const auto& [key, value] : storage)
            if (key.rfind(prefix, 0) == 0)
                keys.push_back(key);
        return keys;
    }
    // Successful writes to `key`.
    std::size_t writesTo(const std::string& key) const {
        std::size_t n = 0;
        for (const Write& w : writes)
            n += w.key == key && w.ok ? 1 : 0;
        return n;
    }

    // ---- The browser's URL parser ---------------------------------------------------------------
    // Set to stand for a WHATWG parser that reads a URL differently from core's ParseUrl; unset,
    // the default (ParseUrl) is used.
    std::function<std::optional<oauth::Url>(const std::string&)> urlReader;
    std::vector<std::string> parsedUrls; // every parseUrl call, in order
    std::optional<oauth::Url> parseUrl(const std::string& text) override {
        parsedUrls.push_back(text);
        return urlReader ? urlReader(text) : platform::Platform::parseUrl(text);
    }

    // ---- Fetch ---------------------------------------------------------------------------------
    std::vector<Fetch> fetches; // index = order of the fetch calls

    int fetch(const oauth::HttpRequest& request, int timeoutMs,
              std::function<void(platform::FetchResult)> done) override {
        Fetch f;
        f.id = nextFetchId_++;
        f.request = request;
        f.timeoutMs = timeoutMs;
        f.done = std::move(done);
        fetches.push_back(std::move(f));
        return fetches.back().id;
    }
    void cancelFetch(int id) override {
        for (Fetch& f : fetches)
            if (f.id == id)
                f.cancelled = true;
    }
    // Answers fetch `index` with an HTTP response. A cancelled or already answered fetch is not
    // delivered (the interface's promise); returns whether `done` ran.
    bool respond(std::size_t index, int status, const std::string& body,
                 oauth::HttpHeaders headers = {{"Content-Type", "application/json"}}) {
        platform::FetchResult r;
        r.response.status = status;
        r.response.headers = std::move(headers);
        r.response.body = body;
        r.elapsedMs = 12;
        return deliver(index, std::move(r), false);
    }
    // No HTTP answer: network error, CORS refusal or timeout (status 0), as the browser platform
    // classified it (None: not classified).
    bool failTransport(std::size_t index, const std::string& message,
                       platform::FetchFailure failure = platform::FetchFailure::None) {
        platform::FetchResult r;
        r.transportError = message;
        r.failure = failure;
        r.elapsedMs = 12;
        return deliver(index, std::move(r), false);
    }

    // ---- No-cors probes ------------------------------------------------------------------------
    struct Probe {
        std::string url;
        int timeoutMs = 0;
        std::function<void(platform::FetchFailure)> done;
        bool answered = false;
    };
    std::vector<Probe> probes;
    void probe(const std::string& url, int timeoutMs,
               std::function<void(platform::FetchFailure)> done) override {
        probes.push_back({url, timeoutMs, std::move(done), false});
    }
    // Ends probe `index` (None: a server answered). Returns whether `done` ran.
    bool answerProbe(std::size_t index, platform::FetchFailure failure) {
        if (index >= probes.size() || probes[index].answered)
            return false;
        probes[index].answered = true;
        arrive([done = probes[index].done, failure] { done(failure); });
        return true;
    }
    // Delivers even when cancelled: an answer already queued for the next frame when the app
    // cancelled, so the controller's own guard is what is tested.
    bool respondDespiteCancel(std::size_t index, int status, const std::string& body) {
        platform::FetchResult r;
        r.response.status = status;
        r.response.headers = {{"Content-Type", "application/json"}};
        r.response.body = body;
        return deliver(index, std::move(r), true);
    }
    std::size_t openFetches() const {
        std::size_t n = 0;
        for (const Fetch& f : fetches)
            n += !f.cancelled && !f.answered ? 1 : 0;
        return n;
    }

    // ---- Popup, tabs, files, clipboard ---------------------------------------------------------
    bool blockPopups = false;
    std::vector<std::string> popupsOpened; // URLs of popups that opened
    std::vector<std::string> popupsBlocked;
    int popupCloses = 0;
    std::vector<std::string> tabsOpened;
    std::vector<std::string> clipboard;
    std::vector<Download> downloads;
    std::function<void(std::string, std::string)> pickedFile; // set while the file dialog is "open"
    int pickRequests = 0;

    bool openPopup(const std::string& url) override {
        if (blockPopups) {
            popupsBlocked.push_back(url);
            return false;
        }
        popupsOpened.push_back(url);
        return true;
    }
    void closePopup() override { ++popupCloses; }
    void openInNewTab(const std::string& url) override { tabsOpened.push_back(url); }
    void pickTextFile(std::function<void(std::string, std::string)> done) override {
        ++pickRequests;
        pickedFile = std::move(done);
    }
    // The person chose a file: runs the stored callback once.
    bool choose(const std::string& name, const std::string& text) {
        if (!pickedFile)
            return false;
        auto done = std::move(pickedFile);
        pickedFile = nullptr;
        arrive([done = std::move(done), name, text] { done(name, text); });
        return true;
    }
    void copyToClipboard(const std::string& text) override { clipboard.push_back(text); }
    void downloadFile(const std::string& fileName, const std::string& mimeType,
                      const std::string& text) override {
        downloads.push_back({fileName, mimeType, text});
    }

    // ---- Passphrase lock: a stand-in for WebCrypto that answers later, like the browser --------
    // The "key" is the passphrase; sealing writes it next to the plaintext (base64url, so no secret
    // shows in the stored text), so unsealing with
    // another passphrase fails as AES-GCM's tag check would. Answers wait for runCrypto().
    std::optional<std::string> lockKey;
    std::vector<std::function<void()>> cryptoQueue;

    void deriveLockKey(const std::string& passphrase, const std::string& saltBase64, int iterations,
                       std::function<void(bool)> done) override {
        (void)saltBase64, (void)iterations;
        cryptoQueue.push_back([this, passphrase, done] {
            lockKey = passphrase;
            done(true);
        });
    }
    void seal(const std::string& plaintext,
              std::function<void(bool, std::string, std::string)> done) override {
        // Like boot.js, the key is taken when the call is made, not when it answers.
        cryptoQueue.push_back([key = lockKey, plaintext, done] {
            if (!key)
                return done(false, {}, {});
            done(true, "iv", Base64UrlEncode(*key + "\n" + plaintext));
        });
    }
    void unseal(const std::string& iv, const std::string& ciphertext,
                std::function<void(bool, std::string)> done) override {
        (void)iv;
        cryptoQueue.push_back([key = lockKey, ciphertext, done] {
            const std::string plain = Base64UrlDecode(ciphertext).value_or("");
            const std::size_t cut = plain.find('\n');
            if (!key || cut == std::string::npos || plain.substr(0, cut) != *key)
                return done(false, {});
            done(true, plain.substr(cut + 1));
        });
    }
    void forgetLockKey() override { lockKey.reset(); }

    // ---- Client assertions: really signed (fake_signer.h, OpenSSL), answered by runCrypto() ----
    // Native builds only; under wasm the Platform's defaults refuse, as a browser without WebCrypto.
#ifdef OAUTH_TEST_OPENSSL
    std::vector<std::string> signedInputs; // every signing input, in order
    void signJws(const std::string& algorithm, const std::string& key, const std::string& input,
                 SignDone done) override {
        signedInputs.push_back(input);
        cryptoQueue.push_back([algorithm, key, input, done] {
            const auto signature = SignJws(algorithm, key, input);
            if (!signature)
                return done(false, {}, "The private key does not fit " + algorithm + ".");
            done(true, Base64UrlEncode(*signature), {});
        });
    }
    void describeSigningKey(const std::string& algorithm, const std::string& key, SignDone done) override {
        (void)algorithm;
        cryptoQueue.push_back([key, done] {
            const auto jwk = PublicJwkOf(key);
            if (!jwk)
                return done(false, {}, "The private key is neither a PKCS#8 PEM nor a private JWK.");
            done(true, jwk->dump(), {});
        });
    }
    void generateSigningKey(const std::string& algorithm, SignDone done) override {
        cryptoQueue.push_back([algorithm, done] { done(true, GeneratePem(algorithm), {}); });
    }
    // DPoP keys: one real P-256 key per key name, made on first use and kept, so a test can check a
    // proof's signature with VerifyJws("ES256", dpopKeys.at(name), proof).
    std::map<std::string, std::string> dpopKeys; // key name -> PKCS#8 PEM
    std::vector<std::string> forgottenDpopKeys;
    const std::string& dpopKey(const std::string& keyName) {
        auto it = dpopKeys.find(keyName);
        if (it == dpopKeys.end())
            it = dpopKeys.emplace(keyName, GeneratePem("ES256")).first;
        return it->second;
    }
    void dpopPublicKey(const std::string& keyName, SignDone done) override {
        cryptoQueue.push_back(
            [this, keyName, done] { done(true, PublicJwkOf(dpopKey(keyName))->dump(), {}); });
    }
    void signDpop(const std::string& keyName, const std::string& input, SignDone done) override {
        signedInputs.push_back(input);
        cryptoQueue.push_back([this, keyName, input, done] {
            done(true, Base64UrlEncode(*SignJws("ES256", dpopKey(keyName), input)), {});
        });
    }
    void forgetDpopKey(const std::string& keyName) override {
        forgottenDpopKeys.push_back(keyName);
        dpopKeys.erase(keyName);
    }
#endif
    // Runs every queued crypto answer (and those they queue) in order.
    void runCrypto() {
        while (!cryptoQueue.empty()) {
            auto next = std::move(cryptoQueue.front());
            cryptoQueue.erase(cryptoQueue.begin());
            arrive(std::move(next));
        }
    }

    // ---- Signatures (WebCrypto's verify): answers wait for runCrypto() too -------------------------
    // RS256, PS256 and ES256 signatures are valid only when they are known: made by the key with
    // that public modulus (RSA n, or EC x and y) over exactly that input. The fixed key pair's
    // ID token (id_token_fixture.h) is known from the start. HS256 is computed for real (HMAC-SHA-256).
    struct KnownSignature {
        std::string alg, publicKey, signingInput, signature;
    };
    std::vector<KnownSignature> knownSignatures{
        {"RS256", kFixedRsaModulus, SigningInputOf(kFixedRsaIdToken), SignatureOf(kFixedRsaIdToken)}};
    std::vector<std::string> verifiedKeys; // the JWK of each verifySignature call, in order

    void verifySignature(const std::string& alg, const std::string& jwkJson, const std::string& input,
                         const std::string& signature, std::function<void(bool, std::string)> done) override {
        verifiedKeys.push_back(jwkJson);
        const nlohmann::json jwk = nlohmann::json::parse(jwkJson, nullptr, false);
        cryptoQueue.push_back([this, alg, jwk, input, signature, done] {
            if (!jwk.is_object() || !jwk.contains("kty"))
                return done(false, "the browser refused the provider's key (not a JWK).");
            if (alg == "HS256")
                return done(HmacSha256(Base64UrlDecode(jwk.value("k", "")).value_or(""), input) ==
                                Base64UrlDecode(signature).value_or("-"),
                            "");
            const std::string key = jwk.value("n", "") + jwk.value("x", "") + jwk.value("y", "");
            for (const KnownSignature& k : knownSignatures)
                if (k.alg == alg && k.publicKey == key && k.signingInput == input && k.signature == signature)
                    return done(true, "");
            done(false, "");
        });
    }
    // RFC 2104 over core's SHA-256.
    static std::string HmacSha256(std::string key, const std::string& message) {
        if (key.size() > 64) {
            const Sha256Digest d = Sha256(key);
            key.assign(d.begin(), d.end());
        }
        key.resize(64, '\0');
        std::string inner(64, '\0'), outer(64, '\0');
        for (std::size_t i = 0; i < 64; ++i) {
            inner[i] = static_cast<char>(key[i] ^ 0x36);
            outer[i] = static_cast<char>(key[i] ^ 0x5c);
        }
        const Sha256Digest innerHash = Sha256(inner + message);
        const Sha256Digest mac = Sha256(outer + std::string(innerHash.begin(), innerHash.end()));
        return std::string(mac.begin(), mac.end());
    }
    static std::string SigningInputOf(const std::string& jws) {
        return jws.substr(0, jws.rfind('.'));
    }
    static std::string SignatureOf(const std::string& jws) {
        return jws.substr(jws.rfind('.') + 1);
    }

    // ---- Events for the Listener: queued, delivered by runQueued() ------------------------------
    void callbackArrives(const std::string& url) {
        postCallback(url);
    }
    void personClosesPopup() {
        postPopupClosed();
    }
    void otherTabSaves(const std::string& key, const std::string& text) {
        postStorageChanged(key, text);
    }
    int wakes = 0; // how often the platform asked for a frame (each post asks)

    // ---- Clock, randomness, page ---------------------------------------------------------------
    double clock = 1'700'000'000; // seconds since 1970: 2023-11-14 22:13:20 UTC
    std::uint8_t nextRandomByte = 0;
    std::string page = "http://127.0.0.1:8000/";

    double now() override {
        return clock;
    }
    // Deterministic: 0, 1, 2, ... across calls.
    void randomBytes(std::uint8_t* out, std::size_t count) override {
        for (std::size_t i = 0; i < count; ++i)
            out[i] = nextRandomByte++;
    }
    std::string pageUrl() override {
        return page;
    }

  private:
    void wake() override {
        ++wakes;
    }
    // An answer "arrives": through the queue, run now (the test stands for the next frame).
    void arrive(std::function<void()> work) {
        post(std::move(work));
        runQueued();
    }

    bool deliver(std::size_t index, platform::FetchResult result, bool evenIfCancelled) {
        if (index >= fetches.size())
            return false;
        Fetch& f = fetches[index];
        if (f.answered || (f.cancelled && !evenIfCancelled))
            return false;
        f.answered = true;
        // Copy: `done` may start another fetch, which can reallocate `fetches`.
        arrive([done = f.done, result = std::move(result)]() mutable { done(std::move(result)); });
        return true;
    }

    int nextFetchId_ = 1;
};

} // namespace oauth::test
