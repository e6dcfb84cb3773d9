// Fuzzes ImportProfiles with arbitrary files over two existing profiles: it must never crash, a
// refused file changes nothing, and an accepted one accounts for what it did in its report.
#include "core/profiles_export.h"
#include "fuzz_check.h"

#include <cstdint>
#include <string>
#include <vector>

namespace {

std::vector<oauth::Profile> Existing() {
    oauth::Profile a;
    a.tokenName = "Demo";
    a.clientId = "client-1";
    a.clientSecret = "s3cret";
    a.accessTokenUrl = "https://id.example.com/token";
    oauth::Profile b = a;
    b.tokenName = "Other";
    b.accessTokenUrl = "http://127.0.0.1:9/token";
    return {a, b};
}

std::string Dump(const std::vector<oauth::Profile>& profiles) {
    std::string text;
    for (const oauth::Profile& profile : profiles)
        text += oauth::DumpJson(oauth::ProfileToJson(profile)) + "\n";
    return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<oauth::Profile> profiles = Existing();
    const std::string before = Dump(profiles);
    const oauth::ImportResult result = oauth::ImportProfiles(text, profiles);
    if (!result.ok()) {
        FUZZ_CHECK(Dump(profiles) == before);
        FUZZ_CHECK(result.added.empty() && result.updated.empty());
        return 0;
    }
    FUZZ_CHECK(profiles.size() == 2 + result.added.size());
    FUZZ_CHECK(!result.Report().empty());
    // What was imported exports and re-imports without an error.
    std::vector<oauth::Profile> again;
    FUZZ_CHECK(oauth::ImportProfiles(oauth::ExportProfiles(profiles, true), again).ok());
    return 0;
}
