#include "core/postman_import.h"

#include "core/authorization_request.h"
#include "core/json_depth.h"
#include "core/text.h"

#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace oauth {

using text::IsBlank;

namespace {

using json = nlohmann::json;

// Where Postman sends the browser back when it handles the callback itself; this page cannot
// receive a code there.
constexpr std::array<std::string_view, 3> kPostmanCallbacks = {"https://oauth.pstmn.io/v1/callback",
                                                               "https://oauth.pstmn.io/v1/browser-callback",
                                                               "https://www.getpostman.com/oauth2/callback"};

// True only for a real `false` (or `true`) under `key`: json::value() would throw on a string.
bool IsBool(const json& object, const char* key, bool wanted) {
    const auto it = object.find(key);
    return it != object.end() && it->is_boolean() && it->get<bool>() == wanted;
}

// The member or null; never throws on a missing key or a non-object.
json Member(const json& object, const char* key) {
    if (!object.is_object())
        return json();
    const auto it = object.find(key);
    return it == object.end() ? json() : *it;
}

std::string Quoted(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

std::string StringOr(const json& object, const char* key, std::string fallback = {}) {
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// A value as text: strings as they are, numbers and booleans as JSON, anything else empty.
std::string AsText(const json& value) {
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_number() || value.is_boolean())
        return DumpJson(value);
    return {};
}

// The collection's "variable" list; disabled ones do not apply in Postman either.
std::map<std::string, std::string> ReadVariables(const json& root) {
    std::map<std::string, std::string> variables;
    const auto list = root.find("variable");
    if (list == root.end() || !list->is_array())
        return variables;
    for (const json& variable : *list) {
        if (!variable.is_object() || IsBool(variable, "disabled", true))
            continue;
        const std::string key = StringOr(variable, "key", StringOr(variable, "id"));
        const auto value = variable.find("value");
        if (!key.empty())
            variables[key] = value == variable.end() ? std::string() : AsText(*value);
    }
    return variables;
}

class Importer {
  public:
    Importer(const json& root, std::string_view redirectUrlDefault,
             const std::vector<std::string>& takenNames)
        : root_(root), redirectUrlDefault_(redirectUrlDefault), variables_(ReadVariables(root)) {
        for (const std::string& name : takenNames)
            usedNames_.insert(text::LowerAscii(name));
    }

    void Run() {
        const std::string name = StringOr(Member(root_, "info"), "name");
        if (const auto auth = root_.find("auth"); auth != root_.end())
            Consider(*auth, "The collection " + Quoted(name.empty() ? "(unnamed)" : name), name);
        if (const auto items = root_.find("item"); items != root_.end())
            Walk(*items, "");
    }

    int found = 0;
    PostmanImportResult result;

  private:
    // Folders hold "item"; requests hold "request". Both may carry their own auth.
    void Walk(const json& items, const std::string& path) {
        if (!items.is_array())
            return;
        for (const json& item : items) {
            if (!item.is_object())
                continue;
            const std::string name = StringOr(item, "name");
            const std::string itemPath = path.empty() ? name : path + " / " + name;
            if (const auto children = item.find("item"); children != item.end()) {
                if (const auto auth = item.find("auth"); auth != item.end())
                    Consider(*auth, "Folder " + Quoted(itemPath), name);
                Walk(*children, itemPath);
            } else if (const auto request = item.find("request");
                       request != item.end() && request->is_object()) {
                if (const auto auth = request->find("auth"); auth != request->end())
                    Consider(*auth, "Request " + Quoted(itemPath), name);
            }
        }
    }

    // {{name}} -> the collection variable's value (nested up to a few levels, no loops);
    // undefined names stay as written and are remembered for one warning per profile.
    std::string Resolve(const std::string& text, int depth = 0) {
        std::string out;
        std::size_t at = 0;
        while (at < text.size()) {
            const std::size_t open = text.find("{{", at);
            const std::size_t close = open == std::string::npos ? open : text.find("}}", open + 2);
            if (close == std::string::npos) {
                out += text.substr(at);
                break;
            }
            out += text.substr(at, open - at);
            const std::string name = text.substr(open + 2, close - open - 2);
            const auto variable = variables_.find(name);
            if (variable != variables_.end() && depth < 5) {
                out += Resolve(variable->second, depth + 1);
            } else {
                out += text.substr(open, close + 2 - open);
                if (variable == variables_.end())
                    unresolved_.insert("{{" + name + "}}");
            }
            at = close + 2;
        }
        return out;
    }

    // Postman's settings as key -> value, from the list form or the older object form.
    static std::map<std::string, json> Settings(const json& oauth2) {
        std::map<std::string, json> settings;
        if (oauth2.is_array()) {
            for (const json& entry : oauth2)
                if (entry.is_object() && entry.contains("key") && entry["key"].is_string())
                    settings[entry["key"].get<std::string>()] = Member(entry, "value");
        } else if (oauth2.is_object()) {
            for (const auto& [key, value] : oauth2.items())
                settings[key] = value;
        }
        return settings;
    }

    std::string Text(const std::map<std::string, json>& settings, const char* key) {
        const auto it = settings.find(key);
        return it == settings.end() ? std::string() : Resolve(AsText(it->second));
    }

    // Enabled {key, value} entries of a Postman parameter list.
    std::vector<std::pair<std::string, std::string>> Params(const std::map<std::string, json>& settings,
                                                            const char* key) {
        std::vector<std::pair<std::string, std::string>> params;
        const auto it = settings.find(key);
        if (it == settings.end() || !it->second.is_array())
            return params;
        for (const json& entry : it->second) {
            if (!entry.is_object() || IsBool(entry, "enabled", false))
                continue;
            const std::string name = Resolve(StringOr(entry, "key"));
            if (!name.empty())
                params.emplace_back(
                    name, Resolve(entry.contains("value") ? AsText(entry["value"]) : std::string()));
        }
        return params;
    }

    void Warn(std::string sentence) { result.warnings.push_back(std::move(sentence)); }

    // Postman's "audience" (Auth0 and others) and "resource" (RFC 8707) become the profile's
    // Audience and Resource, unless authRequestParams already had them as Auth. URL Params.
    void AddAudienceAndResource(const std::map<std::string, json>& settings, Profile& profile,
                                const std::string& where) {
        for (const char* key : {"audience", "resource"}) {
            const auto it = settings.find(key);
            if (it == settings.end() || it->second.is_null())
                continue;
            if (!it->second.is_string()) {
                Warn(where + ": the " + key + " setting is not a single text value; it was left out.");
                continue;
            }
            const std::string value = Resolve(it->second.get<std::string>());
            bool present = false;
            for (const auto& [name, ignored] : ParseAuthUrlParams(profile.authUrlParams).params)
                present = present || name == key;
            if (!value.empty() && !present)
                (std::string_view(key) == "audience" ? profile.audience : profile.resource) = value;
        }
    }

    // The page refreshes at the Access Token URL (RFC 6749 section 6) and sends "Bearer" tokens
    // (RFC 6750 section 2.1): say so when the collection asked for something else.
    void CheckRefreshAndPrefix(const std::map<std::string, json>& settings, const std::string& tokenUrl,
                               const std::string& where) {
        const std::string refreshUrl = Text(settings, "refreshTokenUrl");
        if (!refreshUrl.empty() && refreshUrl != tokenUrl)
            Warn(where + " refreshes tokens at " + refreshUrl +
                 "; this page refreshes at the Access Token URL " + tokenUrl + " (RFC 6749 section 6).");
        const std::string prefix = Text(settings, "headerPrefix");
        if (settings.count("headerPrefix") && text::LowerAscii(prefix) != "bearer")
            Warn(where + " sends the token with the header prefix " + Quoted(prefix) +
                 "; this page sends \"Bearer\" (RFC 6750 section 2.1).");
    }

    std::string UniqueName(std::string name) {
        if (IsBlank(name))
            name = "Postman";
        std::string candidate = name;
        for (int n = 2; usedNames_.count(text::LowerAscii(candidate)); ++n)
            candidate = name + " (" + std::to_string(n) + ")";
        usedNames_.insert(text::LowerAscii(candidate));
        return candidate;
    }

    // Postman's grant_type as this page's, or nothing (with the reason) for one it does not support.
    std::optional<GrantType> GrantOf(const std::map<std::string, json>& settings, const std::string& where) {
        std::string postmanGrant = Text(settings, "grant_type");
        if (postmanGrant.empty())
            postmanGrant = "authorization_code"; // Postman's default
        if (postmanGrant == "authorization_code" || postmanGrant == "authorization_code_with_pkce")
            return GrantType::AuthorizationCode;
        if (postmanGrant == "password_credentials")
            return GrantType::Password;
        if (postmanGrant == "client_credentials")
            return GrantType::ClientCredentials;
        if (postmanGrant == "implicit")
            Warn(where +
                 " uses the implicit grant, which this page does not support (RFC 9700 section 2.1.2 "
                 "advises against it); it was not imported. Use the authorization code grant instead.");
        else
            Warn(where + " uses the grant type " + Quoted(postmanGrant) +
                 ", which this page does not support; it was not imported.");
        return std::nullopt;
    }

    // The settings a profile holds, and warnings for the ones it cannot.
    void CopySettings(const std::map<std::string, json>& settings, Profile& profile,
                      const std::string& where) {
        profile.authorizationUrl = Text(settings, "authUrl");
        profile.accessTokenUrl = Text(settings, "accessTokenUrl");
        profile.clientId = Text(settings, "clientId");
        profile.clientSecret = Text(settings, "clientSecret");
        profile.scopes = Text(settings, "scope");
        profile.username = Text(settings, "username");
        profile.password = Text(settings, "password");
        const std::string clientAuthentication = Text(settings, "client_authentication");
        profile.clientAuthentication =
            clientAuthentication == "body" ? ClientAuthentication::Body : ClientAuthentication::BasicHeader;

        std::string lines;
        for (const auto& [key, value] : Params(settings, "authRequestParams")) {
            lines += (lines.empty() ? "" : "\n") + key + "=" + value;
            if (value.find('&') != std::string::npos)
                Warn(where + ": the authorization request parameter " + Quoted(key) +
                     " contains '&', which Auth. URL Params cannot hold; check it.");
        }
        profile.authUrlParams = lines;
        AddAudienceAndResource(settings, profile, where);
        CheckRefreshAndPrefix(settings, Text(settings, "accessTokenUrl"), where);
        for (const char* key : {"tokenRequestParams", "refreshRequestParams"}) {
            std::string names;
            for (const auto& [name, value] : Params(settings, key))
                names += (names.empty() ? "" : ", ") + name;
            if (!names.empty())
                Warn(where + ": extra " + (std::string(key) == "tokenRequestParams" ? "token" : "refresh") +
                     " request parameters (" + names + ") are not supported here and were left out.");
        }
    }

    // Postman's own callback URL cannot reach this page: its callback goes in its place.
    std::string RedirectUrlOf(const std::map<std::string, json>& settings, const std::string& where) {
        std::string redirectUrl = Text(settings, "redirect_uri");
        for (std::string_view postmanCallback : kPostmanCallbacks)
            if (redirectUrl == postmanCallback && !redirectUrlDefault_.empty()) {
                Warn(where + " used Postman's callback " + redirectUrl + "; this page's callback " +
                     std::string(redirectUrlDefault_) +
                     " was put in its place. Register it with the provider as a redirect URL.");
                redirectUrl.clear();
            }
        return redirectUrl.empty() ? std::string(redirectUrlDefault_) : redirectUrl;
    }

    // The same settings copied onto several requests make one profile, not several.
    bool IsRepeat(const Profile& profile, const std::string& where) {
        json comparable = ProfileToJson(profile);
        comparable.erase("tokenName");
        for (std::size_t i = 0; i < comparables_.size(); ++i)
            if (comparables_[i] == comparable) {
                Warn(where + " has the same OAuth 2.0 settings as " + Quoted(result.profiles[i].tokenName) +
                     "; they were imported once.");
                return true;
            }
        comparables_.push_back(std::move(comparable));
        return false;
    }

    void WarnUnresolved(const std::string& where) {
        if (unresolved_.empty())
            return;
        std::string names;
        for (const std::string& name : unresolved_)
            names += (names.empty() ? "" : ", ") + name;
        Warn(where + ": " + names + (unresolved_.size() == 1 ? " is" : " are") +
             " not defined in the collection's variables (perhaps in a Postman environment) and " +
             (unresolved_.size() == 1 ? "was" : "were") + " kept as written.");
    }

    void Consider(const json& auth, const std::string& where, const std::string& ownerName) {
        if (!auth.is_object() || StringOr(auth, "type") != "oauth2")
            return;
        ++found;
        unresolved_.clear();
        const std::map<std::string, json> settings = Settings(Member(auth, "oauth2"));
        const std::optional<GrantType> grant = GrantOf(settings, where);
        if (!grant)
            return;
        Profile profile;
        profile.grantType = *grant;
        CopySettings(settings, profile, where);
        profile.redirectUrl = RedirectUrlOf(settings, where);
        const std::string tokenName = Text(settings, "tokenName");
        profile.tokenName = IsBlank(tokenName) ? ownerName : tokenName;
        if (IsRepeat(profile, where))
            return;
        WarnUnresolved(where);
        profile.tokenName = UniqueName(profile.tokenName);
        result.profiles.push_back(std::move(profile));
    }

    const json& root_;
    std::string_view redirectUrlDefault_;
    std::map<std::string, std::string> variables_;
    std::set<std::string> usedNames_;
    std::set<std::string> unresolved_;
    std::vector<json> comparables_;
};

} // namespace

PostmanImportResult ImportPostmanCollection(std::string_view text, std::string_view redirectUrlDefault,
                                            const std::vector<std::string>& takenNames) {
    PostmanImportResult result;
    const json root = ParseImportedFile(text, result.error);
    if (root.is_discarded())
        return result;
    if (root.is_object() && root.contains("format") && root["format"] == "oauth-setup-profiles") {
        result.error = "This is an OAuth setup profiles export; use Import profiles instead.";
        return result;
    }
    if (root.is_object() && root.contains("requests") && root["requests"].is_array()) {
        result.error = "This is a Postman Collection v1 file; export the collection from Postman as "
                       "Collection v2.1 and import that.";
        return result;
    }
    if (!root.is_object() || !((root.contains("item") && root["item"].is_array()) ||
                               (root.contains("auth") && root["auth"].is_object()))) {
        result.error = "The file is not a Postman collection (v2.0 or v2.1): it has no \"item\" list.";
        return result;
    }

    Importer importer(root, redirectUrlDefault, takenNames);
    importer.Run();
    result = std::move(importer.result);
    if (importer.found == 0)
        result.error = "The collection has no OAuth 2.0 settings: no auth of type oauth2 on the collection, "
                       "a folder or a request.";
    else if (result.profiles.empty())
        result.error = "None of the collection's OAuth 2.0 settings could be imported; see the warnings.";
    return result;
}

} // namespace oauth
