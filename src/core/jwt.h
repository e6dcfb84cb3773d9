#pragma once
// Display of JWT access and ID tokens (RFC 7519): header and payload decoded from base64url
// (RFC 7515 section 7.1 compact serialization), for reading. An ID token's claims and signature are
// checked in id_token.h.
#include "core/detail.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace oauth {

struct DecodedJwt {
    bool isJwt = false;     // false: an opaque token, nothing to decode
    nlohmann::json header;  // object when isJwt
    nlohmann::json payload; // object when isJwt
    Details dates;          // exp, iat, nbf as "2026-11-29 12:00:00 UTC", in that order when present
    std::string note;       // "Signature not verified." or why the token is opaque
};

// A JWT has three dot-separated base64url parts whose first two are JSON objects. Five parts is
// an encrypted JWT (RFC 7516), reported as opaque. Never throws.
DecodedJwt DecodeJwt(std::string_view token);

// Seconds since 1970-01-01 UTC as "YYYY-MM-DD HH:MM:SS UTC" (proleptic Gregorian calendar).
std::string FormatUtc(std::int64_t unixSeconds);

} // namespace oauth
