// Fuzzes the exchange log's masker with arbitrary bodies and URLs: it must never crash, revealing
// must change nothing, masking twice must equal masking once, and a secret planted before the
// fuzz text (a form pair, a JSON member) must never show, whatever follows it.
#include "core/masking.h"
#include "fuzz_check.h"

#include <cstdint>
#include <string>

namespace {

constexpr std::string_view kPlanted = "QQplantedSecretQQ";

std::size_t Count(std::string_view text, std::string_view what) {
    std::size_t count = 0;
    for (std::size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1))
        ++count;
    return count;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    FUZZ_CHECK(oauth::MaskResponseBodyForDisplay(text, true) == text);
    FUZZ_CHECK(oauth::MaskUrlForDisplay(text, true) == text);

    const std::string masked = oauth::MaskResponseBodyForDisplay(text, false);
    FUZZ_CHECK(oauth::MaskResponseBodyForDisplay(masked, false) == masked);
    const std::string form = oauth::MaskFormBody(text);
    FUZZ_CHECK(oauth::MaskFormBody(form) == form);
    oauth::MaskUrlForDisplay(text, false);
    oauth::MaskDetailForDisplay(text, text);

    const std::size_t inFuzz = Count(text, kPlanted);
    const std::string json = "{\"access_token\":\"" + std::string(kPlanted) + "\"," + text;
    FUZZ_CHECK(Count(oauth::MaskResponseBodyForDisplay(json, false), kPlanted) <= inFuzz);
    const std::string pair = "client_secret=" + std::string(kPlanted) + "&" + text;
    FUZZ_CHECK(Count(oauth::MaskResponseBodyForDisplay(pair, false), kPlanted) <= inFuzz);
    FUZZ_CHECK(Count(oauth::MaskFormBody(text + "&password=" + std::string(kPlanted)), kPlanted) <= inFuzz);
    const oauth::HttpRequest request{"POST",
                                     "https://h/t?code=" + std::string(kPlanted),
                                     {{"Authorization", "Basic " + std::string(kPlanted)}},
                                     json};
    const oauth::HttpRequest shown = oauth::MaskRequestForDisplay(request, false);
    FUZZ_CHECK(Count(shown.url, kPlanted) == 0);
    FUZZ_CHECK(Count(shown.headers[0].second, kPlanted) == 0);
    FUZZ_CHECK(Count(shown.body, kPlanted) <= inFuzz);
    return 0;
}
