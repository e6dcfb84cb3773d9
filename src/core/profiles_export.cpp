#include "core/profiles_export.h"
#include "core/json_depth.h"
#include "core/text.h"

#include <cctype>
#include <optional>

namespace oauth {

using text::IsBlank;

namespace {

using json = nlohmann::json;

std::optional<std::size_t> FindByName(const std::vector<Profile>& profiles, std::string_view name) {
    const std::string wanted = text::LowerAscii(name);
    for (std::size_t i = 0; i < profiles.size(); ++i)
        if (text::LowerAscii(profiles[i].tokenName) == wanted)
            return i;
    return std::nullopt;
}

// Imported fields win; missing secrets (an export without them) keep what is already there.
// The credentials kept from before belong to the endpoint they were made for: a file that points a
// known profile at another token endpoint, client or issuer must not send them there (issue 11).
bool SameEndpoint(const Profile& a, const Profile& b) {
    return a.accessTokenUrl == b.accessTokenUrl && a.clientId == b.clientId && a.issuer == b.issuer;
}

// State and auto-refresh describe this browser's own outcome and choice; a file never sets them.
void Merge(Profile& existing, Profile imported, ImportResult& result) {
    imported.state = existing.state;
    imported.autoRefresh = existing.autoRefresh;
    if (!SameEndpoint(existing, imported)) {
        DroppedCredentials dropped{imported.tokenName, existing.clientSecret, existing.password,
                                   existing.lastToken};
        const bool anyKept = (imported.clientSecret.empty() && !existing.clientSecret.empty()) ||
                             (imported.password.empty() && !existing.password.empty()) ||
                             (!imported.lastToken.is_object() && existing.lastToken.is_object());
        if (!imported.lastToken.is_object())
            imported.state = ProfileState::None;
        imported.autoRefresh = false;
        if (anyKept)
            result.dropped.push_back(std::move(dropped));
        existing = std::move(imported);
        return;
    }
    if (imported.clientSecret.empty())
        imported.clientSecret = existing.clientSecret;
    if (imported.password.empty())
        imported.password = existing.password;
    if (!imported.lastToken.is_object())
        imported.lastToken = existing.lastToken;
    existing = std::move(imported);
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const std::string& item : items)
        out += (out.empty() ? "" : std::string(separator)) + item;
    return out;
}

std::string Count(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

bool LooksLikePostman(const json& root) {
    const auto info = root.find("info");
    if (!root.contains("item") || info == root.end() || !info->is_object())
        return false;
    const auto schema = info->find("schema");
    return schema != info->end() && schema->is_string() &&
           schema->get<std::string>().find("getpostman.com") != std::string::npos;
}

const char* kShapeMessage = "The file is not an OAuth setup profiles export: expected "
                            "{\"format\": \"oauth-setup-profiles\", \"version\": 1, \"profiles\": [...]}.";

} // namespace

std::string ExportProfiles(const std::vector<Profile>& profiles, bool includeSecrets) {
    json list = json::array();
    for (Profile profile : profiles) {
        if (!includeSecrets) {
            profile.clientSecret.clear();
            profile.password.clear();
            profile.lastToken = nullptr;
        }
        list.push_back(ProfileToJson(profile));
    }
    const json root = {
        {"format", kProfilesExportFormat}, {"version", kProfilesExportVersion}, {"profiles", list}};
    return DumpJson(root, 2);
}

ImportResult ImportProfiles(std::string_view text, std::vector<Profile>& existing) {
    ImportResult result;
    const json root = ParseImportedFile(text, result.error);
    if (root.is_discarded())
        return result;
    if (root.is_object() && LooksLikePostman(root)) {
        result.error = "This is a Postman collection; use Import Postman collection instead.";
        return result;
    }
    const auto profiles = root.is_object() ? root.find("profiles") : root.end();
    const auto format = root.is_object() ? root.find("format") : root.end();
    if (!root.is_object() || profiles == root.end() || !profiles->is_array() ||
        (format != root.end() && *format != kProfilesExportFormat)) {
        result.error = kShapeMessage;
        return result;
    }
    // Like the stored document (storage.h): a missing version reads as 1.
    const auto version = root.find("version");
    if (version != root.end()) {
        if (!version->is_number_integer() || version->get<long long>() < 1) {
            result.error = kShapeMessage;
            return result;
        }
        if (version->get<long long>() > kProfilesExportVersion) {
            result.error = "The file was written by a newer version of this page (version " +
                           std::to_string(version->get<long long>()) + "); nothing was imported.";
            return result;
        }
    }

    std::vector<std::string> seen; // lower-cased names already read from this file
    std::vector<std::size_t> seenAt;
    for (std::size_t i = 0; i < profiles->size(); ++i) {
        const json& entry = (*profiles)[i];
        if (!entry.is_object()) {
            result.skipped.push_back({i, "is not an object"});
            continue;
        }
        const auto name = entry.find("tokenName");
        if (name == entry.end() || !name->is_string() || IsBlank(name->get<std::string>())) {
            result.skipped.push_back({i, "has no Token Name"});
            continue;
        }
        const std::string lower = text::LowerAscii(name->get<std::string>());
        bool repeated = false;
        for (std::size_t k = 0; k < seen.size() && !repeated; ++k)
            if (seen[k] == lower) {
                result.skipped.push_back(
                    {i, "repeats the Token Name of entry " + std::to_string(seenAt[k] + 1)});
                repeated = true;
            }
        if (repeated)
            continue;
        seen.push_back(lower);
        seenAt.push_back(i);

        Profile imported = ProfileFromJson(entry, "profiles[" + std::to_string(i) + "]", result.problems);
        if (const auto at = FindByName(existing, imported.tokenName)) {
            result.updated.push_back(imported.tokenName);
            Merge(existing[*at], std::move(imported), result);
        } else {
            imported.state = ProfileState::None;
            imported.autoRefresh = false;
            result.added.push_back(imported.tokenName);
            existing.push_back(std::move(imported));
        }
    }
    return result;
}

std::string ImportResult::Report() const {
    if (!error.empty())
        return error;
    const std::size_t imported = added.size() + updated.size();
    std::string text =
        imported == 0 ? "Imported no profiles" : "Imported " + Count(imported, "profile", "profiles");
    std::vector<std::string> parts;
    if (!added.empty())
        parts.push_back(std::to_string(added.size()) + " added (" + Join(added, ", ") + ")");
    if (!updated.empty())
        parts.push_back(std::to_string(updated.size()) + " updated (" + Join(updated, ", ") + ")");
    if (!parts.empty())
        text += ": " + Join(parts, ", ");
    if (!skipped.empty()) {
        std::vector<std::string> reasons;
        for (const ImportSkip& skip : skipped)
            reasons.push_back("entry " + std::to_string(skip.index + 1) + " " + skip.reason);
        text += "; " + std::to_string(skipped.size()) + " skipped: " + Join(reasons, ", ");
    }
    text += ".";
    if (!dropped.empty()) {
        std::vector<std::string> names;
        for (const DroppedCredentials& d : dropped)
            names.push_back(d.tokenName);
        text += " The token endpoint, client ID or issuer of " + Join(names, ", ") +
                " changed, so the secret, password and tokens kept from before were dropped.";
    }
    if (!problems.empty())
        text += " Some values had the wrong type and took their defaults; see the details.";
    return text;
}

} // namespace oauth
