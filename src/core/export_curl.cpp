#include "core/export_curl.h"

#include "core/encoding.h"
#include "core/http.h"

#include <cctype>

namespace oauth {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// "Basic abc" -> "Basic ********": the scheme stays readable, the credentials do not.
std::string MaskAuthorization(std::string_view value) {
    const std::size_t space = value.find(' ');
    if (space == std::string_view::npos)
        return std::string(kMaskedSecret);
    return std::string(value.substr(0, space + 1)) + std::string(kMaskedSecret);
}

// Masks values piece by piece so the other pairs stay byte-identical to what is sent.
std::string MaskFormBody(std::string_view body) {
    std::string out;
    std::size_t start = 0;
    while (start <= body.size()) {
        const std::size_t amp = body.find('&', start);
        const std::string_view piece =
            body.substr(start, amp == std::string_view::npos ? body.npos : amp - start);
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
    return name == "client_secret" || name == "password" || name == "code" || name == "code_verifier" ||
           name == "refresh_token" || name == "client_assertion";
}

std::string ShellQuote(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    out += '\'';
    return out;
}

std::string ExportCurl(const HttpRequest& request, bool revealSecrets) {
    std::string command = "curl -X " + (request.method.empty() ? std::string("POST") : request.method) + " " +
                          ShellQuote(request.url);
    for (const auto& [name, value] : request.headers) {
        const bool secret = !revealSecrets && EqualsIgnoringCase(name, "Authorization");
        command += " \\\n  -H " + ShellQuote(name + ": " + (secret ? MaskAuthorization(value) : value));
    }
    if (!request.body.empty())
        command +=
            " \\\n  --data-raw " + ShellQuote(revealSecrets ? request.body : MaskFormBody(request.body));
    return command;
}

} // namespace oauth
