// Fuzzes ProcessTokenResponse with arbitrary status, content type and body: it must never crash
// and must always give exactly one of a token or an error with a code and a sentence. The tokens
// it returns are also fed to the JWT decoder, as the page does.
#include "core/jwt.h"
#include "core/token_response.h"
#include "fuzz_check.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2)
        return 0;
    // First two bytes: HTTP status (0..599, 0 meaning no answer) and whether the body claims HTML.
    oauth::HttpResponse response;
    response.status = (data[0] | (data[1] << 8)) % 600;
    response.headers = {{"Content-Type", (data[1] & 0x80) ? "text/html" : "application/json"}};
    response.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);

    const oauth::TokenResponse result = oauth::ProcessTokenResponse(response, "https://id.example.com/token");
    FUZZ_CHECK(result.success.has_value() != result.error.has_value());
    if (result.error) {
        FUZZ_CHECK(!result.error->code.empty());
        FUZZ_CHECK(!result.error->message.empty());
        FUZZ_CHECK(result.error->status == response.status);
    } else {
        FUZZ_CHECK(response.status >= 200 && response.status < 300);
        FUZZ_CHECK(!result.success->accessToken.empty());
        FUZZ_CHECK(!result.success->expiresIn || *result.success->expiresIn >= 0);
        oauth::DecodeJwt(result.success->accessToken);
        oauth::DecodeJwt(result.success->idToken);
    }
    oauth::DecodeJwt(response.body);
    return 0;
}
