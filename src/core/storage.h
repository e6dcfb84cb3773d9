#pragma once
// The stored document: {"version": 1, "profiles": [...]}. Decoding never throws and never
// silently replaces what it cannot read: the raw text is kept and the status says why.
#include "core/profile.h"

#include <string>
#include <string_view>
#include <vector>

namespace oauth {

inline constexpr int kDocumentVersion = 1;

enum class DocumentStatus {
    Ok,           // read; `problems` may still list fields that had the wrong type
    Empty,        // nothing stored yet (empty or blank text)
    Broken,       // not JSON, or not the document shape: keep `rawText`, do not overwrite it
    NewerVersion, // written by a newer page: profiles read as far as possible, do not overwrite
};

struct StorageDocument {
    DocumentStatus status = DocumentStatus::Empty;
    int version = kDocumentVersion;
    std::vector<Profile> profiles;
    std::vector<DocumentProblem> problems;
    std::string message; // one sentence for the user; empty when status is Ok without problems
    std::string rawText; // the text exactly as it was read
    nlohmann::json unknownKeys = nlohmann::json::object(); // top-level keys kept for round trip
};

// Reads the stored text. Never throws.
StorageDocument DecodeDocument(std::string_view text);

// Writes {"version":1,"profiles":[...]} plus the document's unknown top-level keys.
std::string EncodeDocument(const StorageDocument& document);
std::string EncodeDocument(const std::vector<Profile>& profiles);

// True when saving over this document would lose data the page could not read.
bool MustNotOverwrite(const StorageDocument& document);

} // namespace oauth
