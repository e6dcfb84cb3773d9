// What the app needs from the outside world, as one small interface. The browser implementation
// is src/platform/web/browser_platform.cpp; native tests use a fake (tests/unit/fake_platform.h).
//
// One way in for everything that arrives later, in the manner of Tracy's RunQueue: the platform
// posts it to one queue, and the frame loop runs that queue at the start of a frame
// (runQueued), never in the middle of one. Events (the Redirect URL page's answer, the consent
// popup closing, another tab's save) go to the one Listener; the results of calls made earlier
// (a fetch, a probe, the lock's crypto, a chosen file) run their `done` from the same queue, in the
// order they arrived. Posting asks the platform for a frame (wake), so a posted result is applied
// promptly, and nothing runs while nothing arrives.
#pragma once

#include "core/http.h"
#include "core/url.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace platform {

// The fetch result is a core value (core/http.h): every Process* reads it whole.
using FetchFailure = oauth::FetchFailure;
using FetchResult = oauth::FetchResult;

struct StorageWrite {
    bool ok = true;
    std::string error; // e.g. quota exceeded, storage unavailable
};

class Platform {
  public:
    // Receives the events that nobody asked for at a call: they come from the page, the popup or
    // another tab. Each runs from the queue at the start of a frame.
    class Listener {
      public:
        virtual ~Listener() = default;
        // The Redirect URL page answered (the whole callback URL, code or error in its query).
        virtual void onCallback(const std::string& url) = 0;
        // The consent popup was closed (by the person, or by the provider's page).
        virtual void onPopupClosed() = 0;
        // Another tab of this page changed browser storage (the 'storage' event).
        virtual void onStorageChanged(const std::string& key, const std::string& newText) = 0;
    };

    virtual ~Platform() = default;

    // Where events go (nullptr: nowhere; an event with no listener is dropped).
    void setListener(Listener* listener) { listener_ = listener; }
    Listener* listener() const { return listener_; }

    // Runs everything posted so far, in order (work posted meanwhile waits for the next call).
    // Returns true when anything ran. The frame loop calls it at the start of each frame.
    bool runQueued() {
        if (queued_.empty())
            return false;
        std::vector<std::function<void()>> work;
        work.swap(queued_);
        for (auto& w : work)
            w();
        return true;
    }
    std::size_t queuedCount() const { return queued_.size(); }

    // Browser storage (localStorage). nullopt: nothing stored under the key, or storage unavailable.
    virtual std::optional<std::string> loadText(const std::string& key) = 0;
    virtual StorageWrite saveText(const std::string& key, const std::string& value) = 0;
    // Keys in browser storage that start with `prefix` (default: none known).
    virtual std::vector<std::string> storageKeys(const std::string& prefix) {
        (void)prefix;
        return {};
    }

    // Sends an HTTP request; `done` runs once, later. Returns an id for cancelFetch.
    virtual int fetch(const oauth::HttpRequest& request, int timeoutMs,
                      std::function<void(FetchResult)> done) = 0;
    // `done` of a cancelled fetch never runs.
    virtual void cancelFetch(int id) = 0;
    // Does anything answer at `url`? A GET in mode "no-cors" (no credentials, no referrer, nothing
    // of the answer is readable); `done` runs later with None (a server answered), NoAnswer or
    // Timeout. Used before the consent popup loads the Authorization URL.
    virtual void probe(const std::string& url, int timeoutMs, std::function<void(FetchFailure)> done) = 0;

    // Opens the consent page in a centred popup. False when the browser blocked it.
    virtual bool openPopup(const std::string& url) = 0;
    virtual void closePopup() = 0;

    // A page the person should see, e.g. the device grant's verification URL: a new tab.
    virtual void openInNewTab(const std::string& url) = 0;
    // Asks the person for a text file; `done` runs later with its name and text (never if cancelled).
    virtual void pickTextFile(std::function<void(std::string name, std::string text)> done) = 0;

    virtual void copyToClipboard(const std::string& text) = 0;
    virtual void downloadFile(const std::string& fileName, const std::string& mimeType,
                              const std::string& text) = 0;

    // Passphrase lock (WebCrypto): derives an AES-256-GCM key with PBKDF2-SHA-256 and holds it,
    // non-extractable, until forgotten. seal/unseal use the held key; base64 in and out.
    // Defaults: no crypto available (the lock is then refused with a message). Like every result,
    // the refusal is queued, never run inside the call: a caller may still be setting up state
    // that `done` reads.
    virtual void deriveLockKey(const std::string& passphrase, const std::string& saltBase64, int iterations,
                               std::function<void(bool ok)> done) {
        (void)passphrase, (void)saltBase64, (void)iterations;
        post([done = std::move(done)] { done(false); });
    }
    virtual void seal(const std::string& plaintext,
                      std::function<void(bool ok, std::string ivBase64, std::string ciphertextBase64)> done) {
        (void)plaintext;
        post([done = std::move(done)] { done(false, {}, {}); });
    }
    virtual void unseal(const std::string& ivBase64, const std::string& ciphertextBase64,
                        std::function<void(bool ok, std::string plaintext)> done) {
        (void)ivBase64, (void)ciphertextBase64;
        post([done = std::move(done)] { done(false, {}); });
    }
    virtual void forgetLockKey() {}

    // Signed client assertions (RFC 7523 section 2.2; WebCrypto). `key`: the client secret for
    // HS256 (HMAC SHA-256), else a private key as PKCS#8 PEM or a private JWK for RS256
    // (RSASSA-PKCS1-v1_5), PS256 (RSA-PSS) or ES256 (ECDSA P-256, JOSE r||s). Keys are imported
    // non-extractable and kept for this tab only. `done` runs later; `error` is a sentence.
    using SignDone = std::function<void(bool ok, std::string result, std::string error)>;
    // The base64url signature of `signingInput`.
    virtual void signJws(const std::string& algorithm, const std::string& key,
                         const std::string& signingInput, SignDone done) {
        (void)algorithm, (void)key, (void)signingInput;
        post([done = std::move(done)] { done(false, {}, kNoSigning); });
    }
    // The public JWK (JSON) of a private key, for the page to show and register.
    virtual void describeSigningKey(const std::string& algorithm, const std::string& key, SignDone done) {
        (void)algorithm, (void)key;
        post([done = std::move(done)] { done(false, {}, kNoSigning); });
    }
    // A new key pair for `algorithm`: the private JWK (JSON), to be kept like a secret.
    virtual void generateSigningKey(const std::string& algorithm, SignDone done) {
        (void)algorithm;
        post([done = std::move(done)] { done(false, {}, kNoSigning); });
    }
    static constexpr const char* kNoSigning = "This browser cannot sign (WebCrypto is unavailable).";

    // DPoP (RFC 9449): one ES256 (ECDSA P-256) key pair per `keyName` (a profile's id), made with
    // WebCrypto on first use, non-extractable, and kept in IndexedDB as the CryptoKey objects
    // themselves (structured clone), so the private key never exists as text. The public JWK
    // (JSON) of the key, made now if there is none:
    virtual void dpopPublicKey(const std::string& keyName, SignDone done) {
        (void)keyName;
        post([done = std::move(done)] { done(false, {}, kNoSigning); });
    }
    // The base64url ES256 signature (JOSE r||s) of `signingInput` with that key (made if missing).
    virtual void signDpop(const std::string& keyName, const std::string& signingInput, SignDone done) {
        (void)keyName, (void)signingInput;
        post([done = std::move(done)] { done(false, {}, kNoSigning); });
    }
    // Drops the key pair (the profile was deleted); a later use makes a new one.
    virtual void forgetDpopKey(const std::string& keyName) { (void)keyName; }

    // The URL as the browser's WHATWG URL parser reads it (new URL(text)), the parser fetch() and
    // window.open() use; nullopt when it refuses the text. Default: core's ParseUrl, which refuses
    // what it would read differently from that parser.
    virtual std::optional<oauth::Url> parseUrl(const std::string& text) { return oauth::ParseUrl(text); }

    // Checks a JWS signature (RFC 7515) with WebCrypto: `alg` RS256, PS256 or ES256 with the public
    // JWK `jwkJson`, or HS256 with an "oct" JWK; the signature is base64url. `done` runs later with
    // valid = whether the signature matches, or with `problem` set (and valid false) when the
    // check could not be made (the key was refused, no WebCrypto). Default: no WebCrypto.
    virtual void verifySignature(const std::string& alg, const std::string& jwkJson,
                                 const std::string& signingInput, const std::string& signatureBase64Url,
                                 std::function<void(bool valid, std::string problem)> done) {
        (void)alg, (void)jwkJson, (void)signingInput, (void)signatureBase64Url;
        post([done = std::move(done)] { done(false, "this browser offers no WebCrypto."); });
    }

    // Seconds since 1970-01-01 UTC.
    virtual double now() = 0;
    // Cryptographically secure random bytes (crypto.getRandomValues in the browser).
    virtual void randomBytes(std::uint8_t* out, std::size_t count) = 0;
    // This page's URL without query or fragment, e.g. "http://127.0.0.1:8000/".
    virtual std::string pageUrl() = 0;

  protected:
    // Queues work (a result, or an event for the listener) for the start of the next frame and
    // asks for that frame.
    void post(std::function<void()> work) {
        queued_.push_back(std::move(work));
        wake();
    }
    // The events, queued for the listener as it is when they run.
    void postCallback(std::string url) {
        post([this, url = std::move(url)] {
            if (listener_)
                listener_->onCallback(url);
        });
    }
    void postPopupClosed() {
        post([this] {
            if (listener_)
                listener_->onPopupClosed();
        });
    }
    void postStorageChanged(std::string key, std::string newText) {
        post([this, key = std::move(key), newText = std::move(newText)] {
            if (listener_)
                listener_->onStorageChanged(key, newText);
        });
    }
    // Asks for a frame soon, so that runQueued runs (the browser: osu_js_request_frame(0)).
    virtual void wake() {}

  private:
    Listener* listener_ = nullptr;
    std::vector<std::function<void()>> queued_;
};

// The platform's URL parser as an oauth::UrlReader (validation checks URLs with it before sending).
inline oauth::UrlReader UrlReaderOf(Platform& platform) {
    return [&platform](std::string_view text) { return platform.parseUrl(std::string(text)); };
}

} // namespace platform
