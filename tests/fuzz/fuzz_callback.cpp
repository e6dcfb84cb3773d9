// Fuzzes ParseCallback with arbitrary callback URLs: it must never crash, and whatever it accepts
// must satisfy the checks it claims (state equal, iss equal when present, a code).
#include "core/callback.h"
#include "fuzz_check.h"

#include <cstdint>
#include <string_view>

namespace {
constexpr std::string_view kState = "AAECAwQFBgcICQoLDA0ODw";
constexpr std::string_view kIssuer = "https://id.example.com";
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view url(reinterpret_cast<const char*>(data), size);
    for (std::string_view issuer : {std::string_view{}, kIssuer}) {
        const oauth::Callback callback = oauth::ParseCallback(url, kState, issuer);
        switch (callback.outcome) {
        case oauth::CallbackOutcome::Code:
            FUZZ_CHECK(!callback.code.empty());
            FUZZ_CHECK(callback.state == kState);
            FUZZ_CHECK(callback.error.empty());
            FUZZ_CHECK(callback.rejection.empty());
            break;
        case oauth::CallbackOutcome::ProviderError:
            FUZZ_CHECK(!callback.error.empty());
            FUZZ_CHECK(callback.state == kState);
            FUZZ_CHECK(!callback.message.empty());
            break;
        case oauth::CallbackOutcome::Rejected:
            FUZZ_CHECK(!callback.rejection.empty());
            FUZZ_CHECK(!callback.message.empty());
            break;
        }
        if (!issuer.empty() && callback.outcome != oauth::CallbackOutcome::Rejected && !callback.iss.empty())
            FUZZ_CHECK(callback.iss == issuer);
    }
    FUZZ_CHECK(oauth::ParseCallback(url, "").outcome == oauth::CallbackOutcome::Rejected);
    return 0;
}
