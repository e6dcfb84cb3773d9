#include "platform/web/browser_platform.h"

#include "platform/web/js_bridge.h"

#include <emscripten/emscripten.h>
#include <emscripten/fetch.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <unistd.h>
#include <vector>

namespace web {
namespace {

// Queues `work` on the browser platform's run queue (defined after the class).
void Post(std::function<void()> work);

std::function<void(std::string, std::string)>& pickedFile() {
    static std::function<void(std::string, std::string)> done;
    return done;
}

using CryptoDone = std::function<void(bool, std::string, std::string)>;
std::map<int, CryptoDone>& cryptoCalls() {
    static std::map<int, CryptoDone> calls;
    return calls;
}

int addCrypto(CryptoDone done) {
    static int nextId = 0;
    cryptoCalls()[++nextId] = std::move(done);
    return nextId;
}

using ProbeDone = std::function<void(platform::FetchFailure)>;
std::map<int, ProbeDone>& probes() {
    static std::map<int, ProbeDone> all;
    return all;
}

void startProbe(const std::string& url, int timeoutMs, ProbeDone done) {
    static int nextId = 0;
    const int id = ++nextId;
    probes()[id] = std::move(done);
    osu_js_probe(id, url.c_str(), timeoutMs);
}

std::string takeJsString(char* text) {
    if (!text)
        return {};
    std::string out(text);
    std::free(text);
    return out;
}

struct PendingFetch {
    int id;
    std::function<void(platform::FetchResult)> done;
    std::vector<std::string> headerStore; // keeps the header strings alive during the fetch
    std::vector<const char*> headerPtrs;
    std::string body;
    std::string url;
    int timeoutMs = 0;
    double startedMs;
    int headersStatus = 0; // the HTTP status, once the answer's headers arrived
    bool cancelled = false;
};

std::map<int, std::unique_ptr<PendingFetch>>& fetches() {
    static std::map<int, std::unique_ptr<PendingFetch>> all;
    return all;
}

// Failed fetches whose no-cors probe is still running (cancelFetch must still reach them).
std::map<int, std::shared_ptr<PendingFetch>>& cancelledWhileProbing() {
    static std::map<int, std::shared_ptr<PendingFetch>> all;
    return all;
}

// XHR's timeout also ends in status 0 (Emscripten's fetch reports it as an error), so the elapsed
// time tells a timeout (50 ms early: the timer and the clock read here differ a little).
bool TimedOut(const PendingFetch& pending, const platform::FetchResult& result) {
    return pending.timeoutMs > 0 && result.elapsedMs + 50 >= pending.timeoutMs;
}

// Status 0: a timeout (TimedOut); otherwise a no-cors probe of the same URL tells a CORS
// refusal (something answered) from nothing answering.
void classifyFailure(std::unique_ptr<PendingFetch> pending, platform::FetchResult result) {
    if (TimedOut(*pending, result)) {
        result.failure = platform::FetchFailure::Timeout;
        result.transportError = "timed out after " + std::to_string(pending->timeoutMs / 1000) + " s";
        auto done = std::move(pending->done);
        Post([done = std::move(done), result = std::move(result)]() { done(result); });
        return;
    }
    const int id = pending->id;
    const std::string url = pending->url;
    const int probeTimeoutMs = pending->timeoutMs > 0 ? pending->timeoutMs : 30000;
    // The probe's answer can come after a cancelFetch: keep the fetch findable until then.
    std::shared_ptr<PendingFetch> shared(std::move(pending));
    cancelledWhileProbing()[id] = shared;
    startProbe(url, probeTimeoutMs, [shared, id, result](platform::FetchFailure failure) mutable {
        cancelledWhileProbing().erase(id);
        if (shared->cancelled)
            return;
        result.failure = failure == platform::FetchFailure::None ? platform::FetchFailure::Cors
                                                                 : platform::FetchFailure::NoAnswer;
        shared->done(result);
    });
}

// Notes the status once the headers arrived (readyState 2, HEADERS_RECEIVED): a failure after that
// is a connection broken mid-answer, never a CORS refusal, whose status the page never sees.
void fetchStateChanged(emscripten_fetch_t* fetch) {
    const int id = static_cast<int>(reinterpret_cast<intptr_t>(fetch->userData));
    auto it = fetches().find(id);
    if (it != fetches().end() && fetch->readyState >= 2 && fetch->status != 0)
        it->second->headersStatus = fetch->status;
}

void fetchFinished(emscripten_fetch_t* fetch) {
    const int id = static_cast<int>(reinterpret_cast<intptr_t>(fetch->userData));
    auto it = fetches().find(id);
    if (it == fetches().end()) {
        emscripten_fetch_close(fetch);
        return;
    }
    std::unique_ptr<PendingFetch> pending = std::move(it->second);
    fetches().erase(it);

    platform::FetchResult result;
    result.response.status = fetch->status;
    result.elapsedMs = emscripten_get_now() - pending->startedMs;
    if (fetch->data && fetch->numBytes > 0)
        result.response.body.assign(fetch->data, static_cast<std::size_t>(fetch->numBytes));
    size_t headersLength = emscripten_fetch_get_response_headers_length(fetch);
    if (headersLength > 0) {
        std::string raw(headersLength + 1, '\0');
        emscripten_fetch_get_response_headers(fetch, raw.data(), raw.size());
        char** unpacked = emscripten_fetch_unpack_response_headers(raw.c_str());
        // XHR's header block ends each line with CRLF and puts a space after the colon.
        auto trim = [](std::string v) {
            const char* ws = " \t\r\n";
            v.erase(0, v.find_first_not_of(ws));
            v.erase(v.find_last_not_of(ws) + 1);
            return v;
        };
        for (char** h = unpacked; h && h[0] && h[1]; h += 2)
            result.response.headers.emplace_back(trim(h[0]), trim(h[1]));
        emscripten_fetch_free_unpacked_response_headers(unpacked);
    }
    const bool broken = fetch->status == 0 && pending->headersStatus != 0;
    if (broken)
        result.transportError =
            "the connection broke after the HTTP " + std::to_string(pending->headersStatus) + " headers";
    else if (fetch->status == 0)
        result.transportError = fetch->statusText[0] ? fetch->statusText : "network error";
    emscripten_fetch_close(fetch);
    if (pending->cancelled)
        return;
    if (broken && !TimedOut(*pending, result))
        result.failure = platform::FetchFailure::Broken;
    if (result.response.status != 0 || result.failure == platform::FetchFailure::Broken) {
        auto done = std::move(pending->done);
        Post([done = std::move(done), result = std::move(result)]() { done(result); });
        return;
    }
    classifyFailure(std::move(pending), std::move(result));
}

class Browser final : public platform::Platform {
  public:
    // The host's entry points (the extern "C" functions below) queue through these.
    void queue(std::function<void()> work) { post(std::move(work)); }
    int fetchesSent() const { return nextId_; }
    void callbackArrived(std::string url) { postCallback(std::move(url)); }
    void popupClosed() { postPopupClosed(); }
    void storageChanged(std::string key, std::string text) {
        postStorageChanged(std::move(key), std::move(text));
    }

    std::optional<std::string> loadText(const std::string& key) override {
        char* text = osu_js_storage_get(key.c_str());
        if (!text)
            return std::nullopt;
        return takeJsString(text);
    }

    std::vector<std::string> storageKeys(const std::string& prefix) override {
        nlohmann::json keys =
            nlohmann::json::parse(takeJsString(osu_js_storage_keys(prefix.c_str())), nullptr, false);
        std::vector<std::string> out;
        if (keys.is_array())
            for (const auto& k : keys)
                if (k.is_string())
                    out.push_back(k.get<std::string>());
        return out;
    }

    std::optional<oauth::Url> parseUrl(const std::string& text) override {
        char* answer = osu_js_parse_url(text.c_str());
        if (!answer)
            return std::nullopt;
        const nlohmann::json parts = nlohmann::json::parse(takeJsString(answer), nullptr, false);
        if (!parts.is_object())
            return std::nullopt;
        const auto part = [&parts](const char* name) {
            const auto it = parts.find(name);
            return it != parts.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        oauth::Url url;
        url.scheme = part("protocol");
        if (!url.scheme.empty() && url.scheme.back() == ':')
            url.scheme.pop_back();
        url.host = part("hostname");
        url.hasAuthority = !url.host.empty();
        const std::string user = part("username"), password = part("password");
        url.hasUserinfo = !user.empty() || !password.empty();
        url.userinfo = password.empty() ? user : user + ":" + password;
        url.port = part("port");
        url.path = part("pathname");
        // WHATWG gives "" for both no query and an empty one ("?"); either sends no query text.
        if (const std::string search = part("search"); !search.empty())
            url.query = search.substr(1);
        if (const std::string hash = part("hash"); !hash.empty())
            url.fragment = hash.substr(1);
        return url;
    }

    platform::StorageWrite saveText(const std::string& key, const std::string& value) override {
        std::string error = takeJsString(osu_js_storage_set(key.c_str(), value.c_str()));
        return {error.empty(), error};
    }

    int fetch(const oauth::HttpRequest& request, int timeoutMs,
              std::function<void(platform::FetchResult)> done) override {
        const int id = ++nextId_;
        auto pending = std::make_unique<PendingFetch>();
        pending->id = id;
        pending->done = std::move(done);
        pending->body = request.body;
        pending->url = request.url;
        pending->timeoutMs = timeoutMs;
        pending->startedMs = emscripten_get_now();
        for (const auto& [name, value] : request.headers) {
            pending->headerStore.push_back(name);
            pending->headerStore.push_back(value);
        }
        for (const std::string& s : pending->headerStore)
            pending->headerPtrs.push_back(s.c_str());
        pending->headerPtrs.push_back(nullptr);

        emscripten_fetch_attr_t attr;
        emscripten_fetch_attr_init(&attr);
        std::strncpy(attr.requestMethod, request.method.c_str(), sizeof(attr.requestMethod) - 1);
        attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
        attr.requestHeaders = pending->headerPtrs.data();
        attr.requestData = pending->body.data();
        attr.requestDataSize = pending->body.size();
        attr.timeoutMSecs = timeoutMs > 0 ? static_cast<unsigned long>(timeoutMs) : 0UL;
        attr.userData = reinterpret_cast<void*>(static_cast<intptr_t>(id));
        attr.onsuccess = fetchFinished;
        attr.onerror = fetchFinished;
        attr.onreadystatechange = fetchStateChanged;
        fetches()[id] = std::move(pending);
        emscripten_fetch(&attr, request.url.c_str());
        return id;
    }

    void cancelFetch(int id) override {
        auto it = fetches().find(id);
        if (it != fetches().end())
            it->second->cancelled = true;
        auto probing = cancelledWhileProbing().find(id);
        if (probing != cancelledWhileProbing().end())
            probing->second->cancelled = true;
    }

    void probe(const std::string& url, int timeoutMs,
               std::function<void(platform::FetchFailure)> done) override {
        startProbe(url, timeoutMs, std::move(done));
    }

    bool openPopup(const std::string& url) override { return osu_js_open_popup(url.c_str()) != 0; }
    void closePopup() override { osu_js_close_popup(); }
    void copyToClipboard(const std::string& text) override { osu_js_set_clipboard(text.c_str()); }
    void openInNewTab(const std::string& url) override { osu_js_open_tab(url.c_str()); }
    void pickTextFile(std::function<void(std::string, std::string)> done) override {
        pickedFile() = std::move(done);
        osu_js_pick_file();
    }
    void downloadFile(const std::string& name, const std::string& mime, const std::string& text) override {
        osu_js_download(name.c_str(), mime.c_str(), text.c_str());
    }
    double now() override { return emscripten_date_now() / 1000.0; }
    void randomBytes(std::uint8_t* out, std::size_t count) override {
        // getentropy is crypto.getRandomValues in the browser; it takes at most 256 bytes a call.
        while (count > 0) {
            std::size_t n = count > 256 ? 256 : count;
            if (getentropy(out, n) != 0)
                std::abort(); // no CSPRNG: never fall back to a weak one
            out += n;
            count -= n;
        }
    }
    std::string pageUrl() override { return takeJsString(osu_js_page_url()); }

    void deriveLockKey(const std::string& passphrase, const std::string& salt, int iterations,
                       std::function<void(bool)> done) override {
        const int id = addCrypto([done](bool ok, std::string, std::string) { done(ok); });
        osu_js_derive_key(id, passphrase.c_str(), salt.c_str(), iterations);
    }
    void seal(const std::string& plaintext,
              std::function<void(bool, std::string, std::string)> done) override {
        osu_js_seal(addCrypto(std::move(done)), plaintext.c_str());
    }
    void unseal(const std::string& iv, const std::string& ciphertext,
                std::function<void(bool, std::string)> done) override {
        const int id =
            addCrypto([done](bool ok, std::string text, std::string) { done(ok, std::move(text)); });
        osu_js_unseal(id, iv.c_str(), ciphertext.c_str());
    }
    void forgetLockKey() override { osu_js_forget_key(); }
    void verifySignature(const std::string& alg, const std::string& jwk, const std::string& input,
                         const std::string& signature, std::function<void(bool, std::string)> done) override {
        const int id = addCrypto(
            [done](bool valid, std::string problem, std::string) { done(valid, std::move(problem)); });
        osu_js_verify_signature(id, alg.c_str(), jwk.c_str(), input.c_str(), signature.c_str());
    }

    void signJws(const std::string& algorithm, const std::string& key, const std::string& signingInput,
                 SignDone done) override {
        osu_js_sign_jws(addCrypto(std::move(done)), algorithm.c_str(), key.c_str(), signingInput.c_str());
    }
    void describeSigningKey(const std::string& algorithm, const std::string& key, SignDone done) override {
        osu_js_describe_signing_key(addCrypto(std::move(done)), algorithm.c_str(), key.c_str());
    }
    void generateSigningKey(const std::string& algorithm, SignDone done) override {
        osu_js_generate_signing_key(addCrypto(std::move(done)), algorithm.c_str());
    }
    void dpopPublicKey(const std::string& keyName, SignDone done) override {
        osu_js_dpop_public_key(addCrypto(std::move(done)), keyName.c_str());
    }
    void signDpop(const std::string& keyName, const std::string& signingInput, SignDone done) override {
        osu_js_sign_dpop(addCrypto(std::move(done)), keyName.c_str(), signingInput.c_str());
    }
    void forgetDpopKey(const std::string& keyName) override { osu_js_forget_dpop_key(keyName.c_str()); }

  private:
    void wake() override { osu_js_request_frame_now(); } // a result to show: no wait for rAF

    int nextId_ = 0; // also the number of fetches sent
};

Browser& browser() {
    static Browser instance;
    return instance;
}

void Post(std::function<void()> work) {
    browser().queue(std::move(work));
}

} // namespace

platform::Platform& BrowserPlatform() {
    return browser();
}

int FetchesStarted() {
    return browser().fetchesSent();
}

} // namespace web

extern "C" {

// web/host: a same-origin message from the Redirect URL page (postMessage or BroadcastChannel).
EMSCRIPTEN_KEEPALIVE void osu_callback(const char* url) {
    web::browser().callbackArrived(url ? url : "");
}

// web/host: a WebCrypto call (the passphrase lock's, or a signature check) finished.
EMSCRIPTEN_KEEPALIVE void osu_crypto_result(int id, int ok, const char* a, const char* b) {
    auto it = web::cryptoCalls().find(id);
    if (it == web::cryptoCalls().end())
        return;
    web::CryptoDone done = std::move(it->second);
    web::cryptoCalls().erase(it);
    std::string first = a ? a : "", second = b ? b : "";
    web::Post([done, ok, first, second]() { done(ok != 0, first, second); });
}

// web/host: the person chose a file in the file chooser.
EMSCRIPTEN_KEEPALIVE void osu_file_picked(const char* name, const char* text) {
    std::string n = name ? name : "", t = text ? text : "";
    web::Post([n, t]() {
        if (web::pickedFile())
            web::pickedFile()(n, t);
    });
}

// web/host: another tab changed localStorage.
EMSCRIPTEN_KEEPALIVE void osu_storage_changed(const char* key, const char* text) {
    web::browser().storageChanged(key ? key : "", text ? text : "");
}

// web/host: a no-cors probe ended (kind: platform::FetchFailure as a number).
EMSCRIPTEN_KEEPALIVE void osu_probe_done(int id, int kind) {
    auto it = web::probes().find(id);
    if (it == web::probes().end())
        return;
    web::ProbeDone done = std::move(it->second);
    web::probes().erase(it);
    const auto failure = kind == 0   ? platform::FetchFailure::None
                         : kind == 3 ? platform::FetchFailure::Timeout
                                     : platform::FetchFailure::NoAnswer;
    web::Post([done, failure]() { done(failure); });
}

// web/host/callbacks.js: the consent popup is closed.
EMSCRIPTEN_KEEPALIVE void osu_popup_closed() {
    web::browser().popupClosed();
}

} // extern "C"
