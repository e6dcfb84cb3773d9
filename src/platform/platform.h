// What the app needs from the outside world, as one small interface. The browser implementation
// is src/platform/web/browser_platform.cpp; native tests use a fake. Results that arrive later
// (a fetch finishing, the consent popup answering) are delivered through the callbacks given
// here, which the implementation runs on the main thread between frames, never during a frame.
#pragma once

#include "core/http.h"
#include "core/url.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
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
    virtual ~Platform() = default;

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
    // Defaults: no crypto available (the lock is then refused with a message).
    virtual void deriveLockKey(const std::string& passphrase, const std::string& saltBase64, int iterations,
                               std::function<void(bool ok)> done) {
        (void)passphrase, (void)saltBase64, (void)iterations;
        done(false);
    }
    virtual void seal(const std::string& plaintext,
                      std::function<void(bool ok, std::string ivBase64, std::string ciphertextBase64)> done) {
        (void)plaintext;
        done(false, {}, {});
    }
    virtual void unseal(const std::string& ivBase64, const std::string& ciphertextBase64,
                        std::function<void(bool ok, std::string plaintext)> done) {
        (void)ivBase64, (void)ciphertextBase64;
        done(false, {});
    }
    virtual void forgetLockKey() {}

    // The URL as the browser's WHATWG URL parser reads it (new URL(text)), the parser fetch() and
    // window.open() use; nullopt when it refuses the text. Default: core's ParseUrl, which refuses
    // what it would read differently from that parser.
    virtual std::optional<oauth::Url> parseUrl(const std::string& text) { return oauth::ParseUrl(text); }

    // Seconds since 1970-01-01 UTC.
    virtual double now() = 0;
    // Cryptographically secure random bytes (crypto.getRandomValues in the browser).
    virtual void randomBytes(std::uint8_t* out, std::size_t count) = 0;
    // This page's URL without query or fragment, e.g. "http://127.0.0.1:8000/".
    virtual std::string pageUrl() = 0;
};

// The platform's URL parser as an oauth::UrlReader (validation checks URLs with it before sending).
inline oauth::UrlReader UrlReaderOf(Platform& platform) {
    return [&platform](std::string_view text) { return platform.parseUrl(std::string(text)); };
}

} // namespace platform
