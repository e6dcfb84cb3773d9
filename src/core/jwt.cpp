#include "core/jwt.h"

#include "core/encoding.h"
#include "core/json_depth.h"

#include <cmath>
#include <cstdio>
#include <vector>

namespace oauth {
namespace {

// Years 0001..9999 only; anything else is shown as a number.
constexpr std::int64_t kMinSeconds = -62135596800;
constexpr std::int64_t kMaxSeconds = 253402300799;

std::vector<std::string_view> SplitOnDots(std::string_view token) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = token.find('.', start);
        parts.push_back(token.substr(start, dot == std::string_view::npos ? token.npos : dot - start));
        if (dot == std::string_view::npos)
            return parts;
        start = dot + 1;
    }
}

// `tooDeep` is set when the part decodes to text nested deeper than kMaxJsonDepth.
nlohmann::json DecodeJsonPart(std::string_view part, bool& tooDeep) {
    const auto bytes = Base64UrlDecode(part);
    if (!bytes)
        return nlohmann::json::value_t::discarded;
    bool deep = false;
    nlohmann::json value = ParseUntrustedJson(*bytes, &deep);
    tooDeep = tooDeep || deep;
    return value;
}

DecodedJwt Opaque(std::string note) {
    DecodedJwt decoded;
    decoded.note = std::move(note);
    return decoded;
}

// Howard Hinnant's civil_from_days: days since 1970-01-01 to year/month/day.
void CivilFromDays(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned dayOfEra = unsigned(days - era * 146097);
    const unsigned yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const unsigned monthIndex = (5 * dayOfYear + 2) / 153;
    day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
    month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    year = std::int64_t(yearOfEra) + era * 400 + (month <= 2 ? 1 : 0);
}

// RFC 7519 section 2: NumericDate is seconds, possibly fractional.
void AddDate(const nlohmann::json& payload, const char* claim, Details& dates) {
    const auto it = payload.find(claim);
    if (it == payload.end() || !it->is_number())
        return;
    const double seconds = it->get<double>();
    if (!std::isfinite(seconds) || seconds < double(kMinSeconds) || seconds > double(kMaxSeconds))
        return;
    dates.push_back({claim, FormatUtc(std::int64_t(std::floor(seconds)))});
}

} // namespace

std::string FormatUtc(std::int64_t unixSeconds) {
    if (unixSeconds < kMinSeconds || unixSeconds > kMaxSeconds)
        return std::to_string(unixSeconds);
    std::int64_t days = unixSeconds / 86400;
    std::int64_t secondsOfDay = unixSeconds % 86400;
    if (secondsOfDay < 0) {
        secondsOfDay += 86400;
        days -= 1;
    }
    std::int64_t year = 0;
    unsigned month = 0, day = 0;
    CivilFromDays(days, year, month, day);
    char text[32];
    std::snprintf(text, sizeof text, "%04lld-%02u-%02u %02d:%02d:%02d UTC", static_cast<long long>(year),
                  month, day, int(secondsOfDay / 3600), int(secondsOfDay / 60 % 60), int(secondsOfDay % 60));
    return text;
}

DecodedJwt DecodeJwt(std::string_view token) {
    const std::vector<std::string_view> parts = SplitOnDots(token);
    if (parts.size() == 5)
        return Opaque("Encrypted JWT (JWE): its content cannot be shown.");
    if (parts.size() != 3)
        return Opaque("Opaque token: not a JWT, nothing to decode.");
    DecodedJwt decoded;
    bool tooDeep = false;
    decoded.header = DecodeJsonPart(parts[0], tooDeep);
    decoded.payload = DecodeJsonPart(parts[1], tooDeep);
    if (tooDeep)
        return Opaque("The token's JWT content is nested deeper than " + std::to_string(kMaxJsonDepth) +
                      " levels; it was not decoded.");
    if (!decoded.header.is_object() || !decoded.payload.is_object())
        return Opaque("Opaque token: not a JWT, nothing to decode.");
    decoded.isJwt = true;
    decoded.note = "Signature not verified: shown for reading only.";
    for (const char* claim : {"exp", "iat", "nbf"})
        AddDate(decoded.payload, claim, decoded.dates);
    return decoded;
}

} // namespace oauth
