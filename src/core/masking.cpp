#include "core/masking.h"

#include "core/encoding.h"
#include "core/json_depth.h"
#include "core/text.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>
#include <vector>

namespace oauth {
namespace {

constexpr std::array<std::string_view, 12> kSecretFormFields = {
    "client_secret", "password",         "code",      "code_verifier", "refresh_token", "device_code",
    "token",         "client_assertion", "assertion", "access_token",  "id_token",      "id_token_hint"};

// Not "code" or "token": in answers those name error codes ({"error": {"code": "..."}}) and
// types. The others are what an answer may carry or echo back: tokens (RFC 6749 5.1, OpenID
// Connect Core 3.1.3.3), device_code (RFC 8628 3.2), a registered client's secret (RFC 7591
// 3.2.1) and request members echoed in a gateway's error.
constexpr std::array<std::string_view, 9> kSecretResponseFields = {
    "access_token", "refresh_token", "id_token",         "device_code", "client_secret",
    "password",     "code_verifier", "client_assertion", "assertion"};

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

bool IsSecretName(std::string_view name) {
    return IsSecretFormField(name) || IsSecretResponseField(name);
}

// The decoded text of a JSON string token ("..." with its quotes); the raw text if it is odd.
std::string DecodeJsonString(std::string_view token) {
    const nlohmann::json value = nlohmann::json::parse(token.begin(), token.end(), nullptr, false);
    return value.is_string() ? value.get<std::string>() : std::string(token);
}

// Where a string token that starts at `open` (a '"') ends: after its closing quote, or at the end
// of a cut text.
std::size_t StringTokenEnd(std::string_view text, std::size_t open) {
    std::size_t end = open + 1;
    while (end < text.size() && text[end] != '"')
        end += text[end] == '\\' ? 2 : 1;
    return end < text.size() ? end + 1 : text.size();
}

// Characters that may come right before a parameter name in free text: the start of a query or
// pair, white space, quotes, brackets ("...?code=abc&...", "'password=x'", "(token=x)").
bool EndsParameterContext(char c) {
    return c == '&' || c == '?' || c == '#' || c == ';' || c == ',' || c == '"' || c == '\'' || c == '(' ||
           c == '<' || c == '>' || c == '\\' || IsJsonWhitespace(c);
}

// Characters that end a parameter value in free text (a JSON string's escape or quote included).
bool EndsParameterValue(char c) {
    return c == '&' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == ')' || c == ';' ||
           c == ',' || c == '\\' || IsJsonWhitespace(c);
}

// The secret name spelled at text[at..] and followed by `after`, or 0 when none is.
std::size_t SecretNameAt(std::string_view text, std::size_t at, char after) {
    std::size_t end = at;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_'))
        ++end;
    if (end == at || end >= text.size() || text[end] != after || !IsSecretName(text.substr(at, end - at)))
        return 0;
    return end - at;
}

// Free text (an HTML page, a cut or broken JSON, a description): "name=value" pairs and
// "name": "value" members with a secret name have their value masked, in one pass.
std::string MaskSecretsInText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const bool boundary = i == 0 || EndsParameterContext(text[i - 1]);
        if (const std::size_t name = boundary ? SecretNameAt(text, i, '=') : 0) {
            std::size_t end = i + name + 1;
            while (end < text.size() && !EndsParameterValue(text[end]))
                ++end;
            out.append(text.substr(i, name + 1));
            if (end > i + name + 1)
                out += kMaskedSecret;
            i = end;
            continue;
        }
        if (text[i] == '"') {
            if (const std::size_t name = SecretNameAt(text, i + 1, '"')) {
                std::size_t value = i + name + 2;
                while (value < text.size() && IsJsonWhitespace(text[value]))
                    ++value;
                if (value < text.size() && text[value] == ':') {
                    ++value;
                    while (value < text.size() && IsJsonWhitespace(text[value]))
                        ++value;
                    if (value < text.size() && text[value] == '"') {
                        const std::size_t end = StringTokenEnd(text, value);
                        out.append(text.substr(i, value + 1 - i));
                        out += kMaskedSecret;
                        if (end > value + 1 && text[end - 1] == '"' && end - 1 > value)
                            out += '"';
                        i = end;
                        continue;
                    }
                }
            }
        }
        out += text[i++];
    }
    return out;
}

// Walks JSON text already known to be valid (and not too deep) and replaces the string values
// of the members, at any depth, whose names `isSecret` accepts; other string values have their
// "name=value" pieces masked (a URL or a form inside a description). Working on the text, not a
// re-dump, keeps the provider's layout and key order, so revealing changes nothing but secrets.
std::string MaskJsonMembers(std::string_view text, bool (*isSecret)(std::string_view)) {
    std::string out;
    out.reserve(text.size());
    std::vector<bool> objects; // one per open container: true for an object, false for an array
    bool expectKey = false;    // inside an object, before a member's name
    bool secretValue = false;  // between a secret member's ':' and its value
    std::string key;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
            const std::size_t end = StringTokenEnd(text, i);
            const std::string_view token = text.substr(i, end - i);
            if (expectKey) {
                key = DecodeJsonString(token);
                expectKey = false;
                out += token;
            } else if (secretValue) {
                out += "\"" + std::string(kMaskedSecret) + "\"";
            } else {
                out += MaskSecretsInText(token);
            }
            secretValue = false;
            i = end;
            continue;
        }
        if (c == '{' || c == '[') {
            objects.push_back(c == '{');
            expectKey = c == '{';
        } else if (c == '}' || c == ']') {
            if (!objects.empty())
                objects.pop_back();
            expectKey = false;
        } else if (c == ',' && !objects.empty()) {
            expectKey = objects.back();
        } else if (c == ':' && !objects.empty() && objects.back()) {
            secretValue = isSecret(key);
            out += c;
            ++i;
            continue;
        }
        if (!IsJsonWhitespace(c))
            secretValue = false; // a number, true, false, null or a container is shown as it is
        out += c;
        ++i;
    }
    return out;
}

bool IsJsonContainer(std::string_view text) {
    const nlohmann::json value = ParseUntrustedJson(text);
    return value.is_object() || value.is_array();
}

// A body of "name=value&..." pairs only, as an x-www-form-urlencoded answer is.
bool LooksLikeForm(std::string_view body) {
    if (body.find('=') == std::string_view::npos)
        return false;
    for (char c : body)
        if (IsJsonWhitespace(c) || c == '"' || c == '<' || c == '{' || c == '[')
            return false;
    return true;
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

// One masking of a body read as JSON (members named by `isSecret`), a form, or free text.
std::string MaskBodyOnce(std::string_view body, bool (*isSecret)(std::string_view)) {
    if (IsJsonContainer(body))
        return MaskJsonMembers(body, isSecret);
    if (LooksLikeForm(text::Trim(body)))
        return MaskPairs(body);
    return MaskSecretsInText(body);
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
    shown.body = MaskBodyOnce(request.body, IsSecretFormField); // a JSON request has request names
    return shown;
}

std::string MaskResponseBodyForDisplay(std::string_view body, bool reveal) {
    if (reveal)
        return std::string(body);
    // Masking can change how a text reads: the only character that kept it from being JSON or a
    // form (a NUL, a '[') may have stood in a masked value. So the text is masked again, the way it
    // now reads, until masking changes nothing: what is shown is always its own masked form.
    std::string shown = MaskBodyOnce(body, IsSecretResponseField);
    for (int pass = 0; pass < 4; ++pass) {
        std::string again = MaskBodyOnce(shown, IsSecretResponseField);
        if (again == shown)
            break;
        shown = std::move(again);
    }
    return shown;
}

std::string MaskDetailForDisplay(std::string_view name, std::string_view value) {
    if (IsSecretName(name))
        return std::string(kMaskedSecret);
    return MaskResponseBodyForDisplay(value, false);
}

HttpResponse MaskResponseForDisplay(const HttpResponse& response, bool reveal) {
    HttpResponse shown = response;
    shown.body = MaskResponseBodyForDisplay(response.body, reveal);
    return shown;
}

} // namespace oauth
