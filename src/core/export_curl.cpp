#include "core/export_curl.h"

#include "core/masking.h"

namespace oauth {

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
    const HttpRequest shown = MaskRequestForDisplay(request, revealSecrets);
    std::string command = "curl -X " + (shown.method.empty() ? std::string("POST") : shown.method) + " " +
                          ShellQuote(shown.url);
    for (const auto& [name, value] : shown.headers)
        command += " \\\n  -H " + ShellQuote(name + ": " + value);
    if (!shown.body.empty())
        command += " \\\n  --data-raw " + ShellQuote(shown.body);
    return command;
}

} // namespace oauth
