#pragma once
// Byte-level encodings used by the protocol: percent-encoding (RFC 3986 section 2.1),
// application/x-www-form-urlencoded (WHATWG URL standard, RFC 6749 appendix B), base64 and
// base64url (RFC 4648 sections 4 and 5).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oauth {

// Ordered name/value pairs, as they appear in a query, a fragment or a form body.
using FormParams = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 section 2.1: every byte outside the unreserved set (ALPHA DIGIT - . _ ~) becomes %XX.
std::string PercentEncode(std::string_view text);

// WHATWG application/x-www-form-urlencoded byte serializer: keeps ALPHA DIGIT * - . _,
// turns space into '+', everything else into %XX (upper-case hex).
std::string FormUrlEncode(std::string_view text);

// Inverse of FormUrlEncode: '+' is a space, %XX is a byte. A '%' not followed by two hex digits is
// kept as it is (WHATWG percent-decode), so decoding never fails.
std::string FormUrlDecode(std::string_view text);

// "a=1&b=2" from pairs, each name and value form-url-encoded.
std::string EncodeForm(const FormParams& params);

// Pairs from "a=1&b=2": empty pieces are skipped, a piece without '=' has an empty value.
FormParams DecodeForm(std::string_view text);

// RFC 4648 section 4, with '=' padding.
std::string Base64Encode(std::string_view bytes);

// RFC 4648 section 5 without padding (RFC 7636 appendix A, RFC 7515 section 2).
std::string Base64UrlEncode(std::string_view bytes);

// Decodes base64url; padding is optional. nullopt for characters outside the alphabet or an
// impossible length.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Views raw bytes as a string_view without copying.
std::string_view AsBytes(const std::uint8_t* data, std::size_t size);

} // namespace oauth
