#include "core/storage.h"
#include "core/json_depth.h"
#include "core/text.h"

namespace oauth {

using text::IsBlank;

namespace {

constexpr const char* kVersionKey = "version";
constexpr const char* kProfilesKey = "profiles";

StorageDocument Broken(StorageDocument document, std::string message) {
    document.status = DocumentStatus::Broken;
    document.message = std::move(message);
    return document;
}

// Reads "version": missing means 1 (reported); anything but a positive integer is broken.
bool ReadVersion(const nlohmann::json& root, StorageDocument& document) {
    const auto it = root.find(kVersionKey);
    if (it == root.end()) {
        document.problems.push_back({kVersionKey, "missing; read as version 1."});
        return true;
    }
    if (!it->is_number_integer() || it->get<long long>() < 1)
        return false;
    const long long version = it->get<long long>();
    document.version = version > 1000000 ? 1000000 : int(version);
    return true;
}

} // namespace

StorageDocument DecodeDocument(std::string_view text) {
    StorageDocument document;
    document.rawText = std::string(text);
    if (IsBlank(text))
        return document;

    bool tooDeep = false;
    const nlohmann::json root = ParseUntrustedJson(text, &tooDeep);
    // Refused like unreadable text (kept, backed up, never overwritten): reading it would overflow
    // the browser's stack on every load.
    if (tooDeep)
        return Broken(std::move(document), "The saved profiles are nested deeper than " +
                                               std::to_string(kMaxJsonDepth) +
                                               " levels, so they were not read; the text was kept as it "
                                               "is and will not be overwritten.");
    if (root.is_discarded())
        return Broken(std::move(document),
                      "The saved profiles are not valid JSON; the text was kept as it is "
                      "and will not be overwritten.");
    const auto profiles = root.is_object() ? root.find(kProfilesKey) : root.end();
    if (!root.is_object() || profiles == root.end() || !profiles->is_array() || !ReadVersion(root, document))
        return Broken(std::move(document),
                      "The saved profiles are not a {\"version\": 1, \"profiles\": [...]} "
                      "document; the text was kept as it is and will not be overwritten.");

    for (std::size_t i = 0; i < profiles->size(); ++i) {
        const std::string path = "profiles[" + std::to_string(i) + "]";
        const nlohmann::json& entry = (*profiles)[i];
        if (!entry.is_object()) {
            document.problems.push_back({path, "expected an object, found " + std::string(entry.type_name()) +
                                                   "; this entry was skipped."});
            continue;
        }
        document.profiles.push_back(ProfileFromJson(entry, path, document.problems));
    }
    for (const auto& [key, value] : root.items())
        if (key != kVersionKey && key != kProfilesKey)
            document.unknownKeys[key] = value;

    if (document.version > kDocumentVersion) {
        document.status = DocumentStatus::NewerVersion;
        document.message =
            "The saved profiles were written by a newer version of this page (document version " +
            std::to_string(document.version) + "); they are shown but will not be overwritten.";
        return document;
    }
    document.status = DocumentStatus::Ok;
    if (!document.problems.empty())
        document.message = "Some saved values could not be read and took their defaults; see the details.";
    return document;
}

std::string EncodeDocument(const StorageDocument& document) {
    nlohmann::json root = document.unknownKeys.is_object() ? document.unknownKeys : nlohmann::json::object();
    root[kVersionKey] = kDocumentVersion;
    nlohmann::json profiles = nlohmann::json::array();
    for (const Profile& profile : document.profiles)
        profiles.push_back(ProfileToJson(profile));
    root[kProfilesKey] = std::move(profiles);
    return DumpJson(root);
}

std::string EncodeDocument(const std::vector<Profile>& profiles) {
    StorageDocument document;
    document.profiles = profiles;
    return EncodeDocument(document);
}

bool MustNotOverwrite(const StorageDocument& document) {
    return document.status == DocumentStatus::Broken || document.status == DocumentStatus::NewerVersion;
}

} // namespace oauth
