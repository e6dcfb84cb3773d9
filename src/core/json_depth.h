#pragma once
// A depth limit for untrusted JSON (stored profiles, endpoint answers, discovery documents,
// imported files, token payloads). nlohmann's copies, comparisons and dumps recurse once per
// level: 6,000 levels overflow the browser's stack ("Maximum call stack size exceeded"), so text
// nested deeper than kMaxJsonDepth is refused before nlohmann ever sees it. No real answer or
// file of this page comes near 64 levels (the deepest, a Postman collection, nests folders).
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace oauth {

inline constexpr int kMaxJsonDepth = 64;

// One pass over the text: '[' and '{' outside strings open a level, ']' and '}' close one; a
// string ends at an unescaped '"' (a backslash escapes the next character). True as soon as a
// level deeper than `maxDepth` opens. Counts brackets of any text, JSON or not.
bool NestsDeeperThan(std::string_view text, int maxDepth = kMaxJsonDepth);

// nlohmann::json::parse(text, nullptr, false) for untrusted text: never throws, and text that
// NestsDeeperThan(kMaxJsonDepth) is not parsed at all. Both failures return a discarded value;
// `tooDeep`, when given, tells which one it was, so the caller can say "nested deeper than 64
// levels" rather than "not JSON".
nlohmann::json ParseUntrustedJson(std::string_view text, bool* tooDeep = nullptr);

// ParseUntrustedJson for a file the person chose to import: on failure returns a discarded value
// and sets `error` to the sentence the import shows ("The file is empty.", "... nested deeper than
// 64 levels ...", "The file is not valid JSON."); on success leaves `error` alone.
nlohmann::json ParseImportedFile(std::string_view text, std::string& error);

} // namespace oauth
