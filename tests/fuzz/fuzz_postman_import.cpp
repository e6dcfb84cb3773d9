// Fuzzes ImportPostmanCollection with arbitrary files: it must never crash; a refused file gives
// no profile and a sentence; accepted profiles have unique Token Names that avoid the taken ones.
#include "core/postman_import.h"
#include "fuzz_check.h"

#include <cstdint>
#include <set>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::vector<std::string> taken = {"Demo", "OAuth 2.0"};
    const oauth::PostmanImportResult result =
        oauth::ImportPostmanCollection(text, "http://127.0.0.1:8080/callback.html", taken);
    if (!result.ok()) {
        FUZZ_CHECK(result.profiles.empty());
        return 0;
    }
    std::set<std::string> names(taken.begin(), taken.end());
    for (const oauth::Profile& profile : result.profiles) {
        FUZZ_CHECK(!profile.tokenName.empty());
        FUZZ_CHECK(names.insert(profile.tokenName).second);
    }
    return 0;
}
