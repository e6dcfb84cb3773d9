// Fuzzes DecodeDocument with arbitrary stored text: it must never crash, must keep the raw text,
// and a document it reads must encode to text that decodes and re-encodes identically.
#include "core/storage.h"
#include "fuzz_check.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const oauth::StorageDocument document = oauth::DecodeDocument(text);
    FUZZ_CHECK(document.rawText == text);
    if (document.status == oauth::DocumentStatus::Broken) {
        FUZZ_CHECK(document.profiles.empty());
        FUZZ_CHECK(!document.message.empty());
        FUZZ_CHECK(oauth::MustNotOverwrite(document));
        return 0;
    }
    if (document.status != oauth::DocumentStatus::Ok)
        return 0;

    const std::string encoded = oauth::EncodeDocument(document);
    const oauth::StorageDocument again = oauth::DecodeDocument(encoded);
    FUZZ_CHECK(again.status == oauth::DocumentStatus::Ok);
    FUZZ_CHECK(again.problems.empty());
    FUZZ_CHECK(again.profiles.size() == document.profiles.size());
    FUZZ_CHECK(oauth::EncodeDocument(again) == encoded);
    return 0;
}
