#pragma once
// All profiles as one JSON file to download, and importing such a file (or the stored document)
// again, merged by Token Name with a report a person can read.
#include "core/profile.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace oauth {

inline constexpr std::string_view kProfilesExportFormat = "oauth-setup-profiles";
inline constexpr int kProfilesExportVersion = 1;

// {"format":"oauth-setup-profiles","version":1,"profiles":[ProfileToJson...]}, 2-space indented.
// Unless `includeSecrets`, clientSecret and password are emptied and lastToken is null (tokens are
// secrets too); state and lastError are kept.
std::string ExportProfiles(const std::vector<Profile>& profiles, bool includeSecrets);

struct ImportSkip {
    std::size_t index = 0; // 0-based position in "profiles"; the report counts from 1 ("entry 4")
    std::string reason;    // completes "entry N ...": "has no Token Name", "is not an object", ...
};

// What an import dropped from a known profile whose token endpoint, client ID or issuer it changed:
// the values kept from before, so the person can still choose to keep them.
struct DroppedCredentials {
    std::string tokenName;
    std::string clientSecret;
    std::string password;
    nlohmann::json lastToken;
};

struct ImportResult {
    std::vector<std::string> added;   // Token Names, in file order
    std::vector<std::string> updated; // Token Names, in file order
    std::vector<ImportSkip> skipped;
    std::vector<DocumentProblem> problems; // values of the wrong type that took their defaults
    std::vector<DroppedCredentials> dropped;
    std::string error; // the whole file was unreadable: one sentence; nothing changed
    bool ok() const { return error.empty(); }
    // "Imported 3 profiles: 2 added (A, B), 1 updated (C); 1 skipped: entry 4 has no Token Name."
    std::string Report() const;
};

// Reads an ExportProfiles file or the stored {"version":1,"profiles":[...]} document and merges it
// into `existing` by Token Name, compared case-insensitively (ASCII). A new name is appended; a
// known name has its fields replaced by the imported ones, except that an empty clientSecret or
// password and a null lastToken keep the existing values, so re-importing an export made without
// secrets loses nothing; but when the import changes the token endpoint, client ID or issuer, the
// values kept from before are dropped instead (listed in `dropped`). `state` and `autoRefresh` are
// never imported: a known profile keeps its own (cleared with dropped tokens), a new one starts
// with State Default and auto-refresh off. Entries that are not objects, have no Token Name or repeat an
// earlier entry's name are skipped with a reason. Never throws; on `error`, `existing` is untouched.
ImportResult ImportProfiles(std::string_view text, std::vector<Profile>& existing);

} // namespace oauth
