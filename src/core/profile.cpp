#include "core/profile.h"

#include <algorithm>
#include <array>
#include <utility>

namespace oauth {
namespace {

template <typename Enum, std::size_t N> using TextTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr TextTable<GrantType, 4> kGrantTypeTexts = {{
    {GrantType::AuthorizationCode, "authorization_code"},
    {GrantType::Password, "password"},
    {GrantType::ClientCredentials, "client_credentials"},
    {GrantType::DeviceCode, "device_code"},
}};
constexpr TextTable<ClientAuthentication, 4> kClientAuthenticationTexts = {{
    {ClientAuthentication::BasicHeader, "header"},
    {ClientAuthentication::Body, "body"},
    {ClientAuthentication::SecretJwt, "client_secret_jwt"},
    {ClientAuthentication::PrivateKeyJwt, "private_key_jwt"},
}};
constexpr TextTable<AssertionAudience, 2> kAssertionAudienceTexts = {{
    {AssertionAudience::Issuer, "issuer"},
    {AssertionAudience::TokenEndpoint, "token_endpoint"},
}};
constexpr TextTable<SigningAlgorithm, 3> kSigningAlgorithmTexts = {{
    {SigningAlgorithm::RS256, "RS256"},
    {SigningAlgorithm::PS256, "PS256"},
    {SigningAlgorithm::ES256, "ES256"},
}};
constexpr TextTable<ProfileState, 3> kProfileStateTexts = {{
    {ProfileState::None, ""},
    {ProfileState::Connected, "Connected"},
    {ProfileState::Error, "Error"},
}};

template <typename Enum, std::size_t N> std::string_view TextOf(const TextTable<Enum, N>& table, Enum value) {
    for (const auto& [entry, text] : table)
        if (entry == value)
            return text;
    return table[0].second;
}

template <typename Enum, std::size_t N>
std::optional<Enum> ValueOf(const TextTable<Enum, N>& table, std::string_view text) {
    for (const auto& [entry, name] : table)
        if (name == text)
            return entry;
    return std::nullopt;
}

using StringField = std::pair<const char*, std::string Profile::*>;

// Every string key of the stored document, in the order it is written.
constexpr std::array<StringField, 16> kStringFields = {{
    {"tokenName", &Profile::tokenName},
    {"clientId", &Profile::clientId},
    {"clientSecret", &Profile::clientSecret},
    {"redirectUrl", &Profile::redirectUrl},
    {"scopes", &Profile::scopes},
    {"authorizationUrl", &Profile::authorizationUrl},
    {"accessTokenUrl", &Profile::accessTokenUrl},
    {"authUrlParams", &Profile::authUrlParams},
    {"discoveryUrl", &Profile::discoveryUrl},
    {"deviceAuthorizationUrl", &Profile::deviceAuthorizationUrl},
    {"revocationUrl", &Profile::revocationUrl},
    {"introspectionUrl", &Profile::introspectionUrl},
    {"username", &Profile::username},
    {"password", &Profile::password},
    {"lastError", &Profile::lastError},
    {"preset", &Profile::preset},
}};

using BoolField = std::pair<const char*, bool Profile::*>;

// Every boolean key, written after the strings.
constexpr std::array<BoolField, 3> kBoolFields = {{
    {"useRelay", &Profile::useRelay},
    {"autoRefresh", &Profile::autoRefresh},
    {"basicUnencoded", &Profile::basicUnencoded},
}};

// String keys written only when not empty (a document without them reads as before).
constexpr std::array<StringField, 4> kOptionalStringFields = {{
    {"issuer", &Profile::issuer},
    {"keyId", &Profile::keyId},
    {"resource", &Profile::resource},
    {"audience", &Profile::audience},
}};

constexpr const char* kIdKey = "id";
constexpr const char* kUseParKey = "usePar";
constexpr const char* kLastTokenKey = "lastToken";
constexpr const char* kRevisionKey = "revision";
constexpr const char* kAudienceKey = "assertionAudience";
constexpr const char* kAlgorithmKey = "signingAlgorithm";
constexpr const char* kUseDpopKey = "useDpop";

bool IsKnownKey(const std::string& key) {
    if (key == kLastTokenKey || key == kIdKey || key == "grantType" || key == "clientAuthentication" ||
        key == "state" || key == kAudienceKey || key == kAlgorithmKey || key == kUseParKey ||
        key == kUseDpopKey)
        return true;
    for (const auto& [name, member] : kStringFields)
        if (key == name)
            return true;
    for (const auto& [name, member] : kOptionalStringFields)
        if (key == name)
            return true;
    for (const auto& [name, member] : kBoolFields)
        if (key == name)
            return true;
    return false;
}

std::string WrongTypeMessage(const char* expected, const nlohmann::json& found) {
    return std::string("expected ") + expected + ", found " + found.type_name() + "; the default was used.";
}

std::string JoinPath(std::string_view path, const char* key) {
    return path.empty() ? std::string(key) : std::string(path) + "." + key;
}

void ReadString(const nlohmann::json& object, const char* key, std::string& target, std::string_view path,
                std::vector<DocumentProblem>& problems) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return;
    if (it->is_string())
        target = it->get<std::string>();
    else
        problems.push_back({JoinPath(path, key), WrongTypeMessage("a string", *it)});
}

void ReadBool(const nlohmann::json& object, const char* key, bool& target, std::string_view path,
              std::vector<DocumentProblem>& problems) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return;
    if (it->is_boolean())
        target = it->get<bool>();
    else
        problems.push_back({JoinPath(path, key), WrongTypeMessage("a boolean", *it)});
}

// An enum stored as its text: another text keeps the default and adds a problem that quotes it.
template <typename Enum, std::size_t N>
void ReadEnum(const nlohmann::json& object, const char* key, const TextTable<Enum, N>& table, Enum& target,
              std::string_view path, std::vector<DocumentProblem>& problems, const char* otherwise) {
    std::string text;
    const std::size_t before = problems.size();
    ReadString(object, key, text, path, problems);
    if (problems.size() != before || object.find(key) == object.end() || object.at(key).is_null())
        return;
    if (const std::optional<Enum> value = ValueOf(table, text))
        target = *value;
    else
        problems.push_back({JoinPath(path, key), "\"" + text + "\" " + otherwise});
}

} // namespace

std::string_view ToText(GrantType grant) {
    return TextOf(kGrantTypeTexts, grant);
}
std::string_view ToText(ClientAuthentication authentication) {
    return TextOf(kClientAuthenticationTexts, authentication);
}
std::string_view ToText(ProfileState state) {
    return TextOf(kProfileStateTexts, state);
}
std::string_view ToText(AssertionAudience audience) {
    return TextOf(kAssertionAudienceTexts, audience);
}
std::string_view ToText(SigningAlgorithm algorithm) {
    return TextOf(kSigningAlgorithmTexts, algorithm);
}
std::optional<AssertionAudience> AssertionAudienceFromText(std::string_view text) {
    return ValueOf(kAssertionAudienceTexts, text);
}
std::optional<SigningAlgorithm> SigningAlgorithmFromText(std::string_view text) {
    return ValueOf(kSigningAlgorithmTexts, text);
}
std::optional<GrantType> GrantTypeFromText(std::string_view text) {
    return ValueOf(kGrantTypeTexts, text);
}
std::optional<ClientAuthentication> ClientAuthenticationFromText(std::string_view text) {
    return ValueOf(kClientAuthenticationTexts, text);
}
std::optional<ProfileState> ProfileStateFromText(std::string_view text) {
    return ValueOf(kProfileStateTexts, text);
}

std::string_view WireGrantType(GrantType grant) {
    return grant == GrantType::DeviceCode ? kGrantDeviceCodeWire : ToText(grant);
}

nlohmann::json ProfileToJson(const Profile& profile) {
    nlohmann::json object = profile.unknownKeys.is_object() ? profile.unknownKeys : nlohmann::json::object();
    for (const auto& [key, member] : kStringFields)
        object[key] = profile.*member;
    object["grantType"] = ToText(profile.grantType);
    object["clientAuthentication"] = ToText(profile.clientAuthentication);
    object["state"] = ToText(profile.state);
    for (const auto& [key, member] : kBoolFields)
        object[key] = profile.*member;
    for (const auto& [key, member] : kOptionalStringFields)
        if (!(profile.*member).empty())
            object[key] = profile.*member;
    if (profile.usePar)
        object[kUseParKey] = true;
    if (profile.assertionAudience != AssertionAudience::Issuer)
        object[kAudienceKey] = ToText(profile.assertionAudience);
    if (profile.signingAlgorithm != SigningAlgorithm::RS256)
        object[kAlgorithmKey] = ToText(profile.signingAlgorithm);
    if (profile.useDpop)
        object[kUseDpopKey] = true;
    if (!profile.id.empty())
        object[kIdKey] = profile.id;
    if (profile.revision != 0)
        object[kRevisionKey] = profile.revision;
    object[kLastTokenKey] = profile.lastToken.is_object() ? profile.lastToken : nlohmann::json();
    return object;
}

Profile ProfileFromJson(const nlohmann::json& object, std::string_view path,
                        std::vector<DocumentProblem>& problems) {
    Profile profile;
    if (!object.is_object()) {
        problems.push_back({std::string(path), WrongTypeMessage("an object", object)});
        return profile;
    }
    for (const auto& [key, member] : kStringFields)
        ReadString(object, key, profile.*member, path, problems);
    ReadEnum(object, "grantType", kGrantTypeTexts, profile.grantType, path, problems,
             "is not a grant this page runs (authorization_code, password, client_credentials or "
             "device_code); authorization_code was used.");
    ReadEnum(object, "clientAuthentication", kClientAuthenticationTexts, profile.clientAuthentication, path,
             problems,
             "is not a client authentication (\"header\", \"body\", \"client_secret_jwt\" or "
             "\"private_key_jwt\"); \"header\" was used.");
    ReadEnum(object, kAudienceKey, kAssertionAudienceTexts, profile.assertionAudience, path, problems,
             "is neither \"issuer\" nor \"token_endpoint\"; \"issuer\" was used.");
    ReadEnum(object, kAlgorithmKey, kSigningAlgorithmTexts, profile.signingAlgorithm, path, problems,
             "is not RS256, PS256 or ES256; RS256 was used.");
    ReadEnum(object, "state", kProfileStateTexts, profile.state, path, problems,
             "is not a State (\"\", \"Connected\" or \"Error\"); no State was used.");
    for (const auto& [key, member] : kBoolFields)
        ReadBool(object, key, profile.*member, path, problems);
    ReadBool(object, kUseParKey, profile.usePar, path, problems);
    for (const auto& [key, member] : kOptionalStringFields)
        ReadString(object, key, profile.*member, path, problems);
    ReadBool(object, kUseDpopKey, profile.useDpop, path, problems);
    ReadString(object, kIdKey, profile.id, path, problems);

    const auto token = object.find(kLastTokenKey);
    if (token != object.end() && !token->is_null()) {
        if (token->is_object())
            profile.lastToken = *token;
        else
            problems.push_back({JoinPath(path, kLastTokenKey), WrongTypeMessage("an object", *token)});
    }
    // A revision that is not an integer is kept as it was, unread (it only orders merges).
    if (const auto revision = object.find(kRevisionKey);
        revision != object.end() && revision->is_number_integer())
        profile.revision = revision->get<std::int64_t>();
    for (const auto& [key, value] : object.items())
        if (!IsKnownKey(key) && !(key == kRevisionKey && value.is_number_integer()))
            profile.unknownKeys[key] = value;
    return profile;
}

bool AssignProfileIds(std::vector<Profile>& profiles,
                      const std::function<void(std::uint8_t*, std::size_t)>& random) {
    static constexpr char kHex[] = "0123456789abcdef";
    bool changed = false;
    std::vector<std::string> seen;
    for (Profile& p : profiles) {
        const bool repeated = std::find(seen.begin(), seen.end(), p.id) != seen.end();
        if (p.id.empty() || repeated) {
            std::uint8_t bytes[8];
            random(bytes, sizeof bytes);
            p.id.clear();
            for (std::uint8_t b : bytes) {
                p.id += kHex[b >> 4];
                p.id += kHex[b & 15];
            }
            changed = true;
        }
        seen.push_back(p.id);
    }
    return changed;
}

std::string DumpJson(const nlohmann::json& value, int indent) {
    return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace oauth
