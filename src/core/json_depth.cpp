#include "core/json_depth.h"

#include "core/text.h"

namespace oauth {

bool NestsDeeperThan(std::string_view text, int maxDepth) {
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped character, '"' included, does not end the string
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

nlohmann::json ParseUntrustedJson(std::string_view text, bool* tooDeep) {
    const bool deep = NestsDeeperThan(text);
    if (tooDeep)
        *tooDeep = deep;
    if (deep)
        return nlohmann::json(nlohmann::json::value_t::discarded);
    return nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
}

nlohmann::json ParseImportedFile(std::string_view text, std::string& error) {
    const nlohmann::json discarded(nlohmann::json::value_t::discarded);
    if (text::IsBlank(text)) {
        error = "The file is empty.";
        return discarded;
    }
    bool tooDeep = false;
    nlohmann::json root = ParseUntrustedJson(text, &tooDeep);
    if (tooDeep)
        error =
            "The file is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels; it was not read.";
    else if (root.is_discarded())
        error = "The file is not valid JSON.";
    return root;
}

} // namespace oauth
