#include "core/masking.h"

#include "core/encoding.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>

namespace oauth {
namespace {

constexpr std::array<std::string_view, 11> kSecretFormFields = {
    "client_secret", "password",         "code",      "code_verifier", "refresh_token", "device_code",
    "token",         "client_assertion", "assertion", "access_token",  "id_token"};

constexpr std::array<std::string_view, 4> kSecretResponseFields = {"access_token", "refresh_token",
                                                                   "id_token", "device_code"};

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

bool IsJsonWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The decoded text of a JSON string token ("..." with its quotes); the raw text if it is odd.
std::string DecodeJsonString(std::string_view token) {
    const nlohmann::json value = nlohmann::json::parse(token.begin(), token.end(), nullptr, false);
    return value.is_string() ? value.get<std::string>() : std::string(token);
}

// Walks JSON text already known to be an object and replaces the string values of its top-level
// members whose names `isSecret` accepts. Working on the text, not a re-dump, keeps the provider's
// layout and key order, so revealing changes nothing but the secrets.
std::string MaskJsonMembers(std::string_view text, bool (*isSecret)(std::string_view)) {
    std::string out;
    out.reserve(text.size());
    int depth = 0;
    bool expectKey = false;
    bool expectValue = false;
    bool secretValue = false;
    std::string key;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
            std::size_t end = i + 1;
            while (end < text.size() && text[end] != '"')
                end += text[end] == '\\' ? 2 : 1;
            const std::string_view token = text.substr(i, end + 1 - i);
            if (depth == 1 && expectKey) {
                key = DecodeJsonString(token);
                expectKey = false;
                out += token;
            } else if (depth == 1 && expectValue) {
                out += secretValue ? "\"" + std::string(kMaskedSecret) + "\"" : std::string(token);
                expectValue = false;
            } else {
                out += token;
            }
            i = end + 1;
            continue;
        }
        if (c == '{' || c == '[') {
            expectValue = false;
            ++depth;
            expectKey = depth == 1 && c == '{';
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (depth == 1 && c == ',') {
            expectKey = true;
        } else if (depth == 1 && c == ':') {
            expectValue = true;
            secretValue = isSecret(key);
        } else if (depth == 1 && !IsJsonWhitespace(c)) {
            expectValue = false; // a number, true, false or null
        }
        out += c;
        ++i;
    }
    return out;
}

bool IsJsonObject(std::string_view text) {
    const nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    return value.is_object();
}

// Masks values piece by piece so the other pairs stay byte-identical to what is sent.
std::string MaskPairs(std::string_view pairs) {
    std::string out;
    std::size_t start = 0;
    while (start <= pairs.size()) {
        const std::size_t amp = pairs.find('&', start);
        const std::string_view piece =
            pairs.substr(start, amp == std::string_view::npos ? pairs.npos : amp - start);
        const std::size_t eq = piece.find('=');
        if (start > 0)
            out += '&';
        if (eq != std::string_view::npos && IsSecretFormField(FormUrlDecode(piece.substr(0, eq))))
            out += std::string(piece.substr(0, eq + 1)) + std::string(kMaskedSecret);
        else
            out += piece;
        if (amp == std::string_view::npos)
            break;
        start = amp + 1;
    }
    return out;
}

} // namespace

bool IsSecretFormField(std::string_view name) {
    for (std::string_view secret : kSecretFormFields)
        if (name == secret)
            return true;
    return false;
}

bool IsSecretResponseField(std::string_view name) {
    for (std::string_view secret : kSecretResponseFields)
        if (name == secret)
            return true;
    return false;
}

std::string MaskAuthorizationValue(std::string_view value) {
    const std::size_t space = value.find(' ');
    if (space == std::string_view::npos)
        return std::string(kMaskedSecret);
    return std::string(value.substr(0, space + 1)) + std::string(kMaskedSecret);
}

std::string MaskFormBody(std::string_view body) {
    return MaskPairs(body);
}

std::string MaskUrlForDisplay(std::string_view url, bool reveal) {
    if (reveal)
        return std::string(url);
    const std::size_t hash = url.find('#');
    const std::string_view beforeFragment = url.substr(0, hash);
    std::string out;
    const std::size_t question = beforeFragment.find('?');
    if (question == std::string_view::npos)
        out = std::string(beforeFragment);
    else
        out = std::string(beforeFragment.substr(0, question + 1)) +
              MaskPairs(beforeFragment.substr(question + 1));
    if (hash != std::string_view::npos)
        out += "#" + MaskPairs(url.substr(hash + 1));
    return out;
}

HttpRequest MaskRequestForDisplay(const HttpRequest& request, bool reveal) {
    if (reveal)
        return request;
    HttpRequest shown = request;
    shown.url = MaskUrlForDisplay(request.url, false);
    for (auto& [name, value] : shown.headers)
        if (EqualsIgnoringCase(name, "Authorization"))
            value = MaskAuthorizationValue(value);
    if (IsJsonObject(request.body))
        shown.body = MaskJsonMembers(request.body, IsSecretFormField);
    else
        shown.body = MaskFormBody(request.body);
    return shown;
}

std::string MaskResponseBodyForDisplay(std::string_view body, bool reveal) {
    if (reveal || !IsJsonObject(body))
        return std::string(body);
    return MaskJsonMembers(body, IsSecretResponseField);
}

HttpResponse MaskResponseForDisplay(const HttpResponse& response, bool reveal) {
    HttpResponse shown = response;
    shown.body = MaskResponseBodyForDisplay(response.body, reveal);
    return shown;
}

} // namespace oauth
