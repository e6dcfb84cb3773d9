// Fuzzes ProcessTokenResponse with arbitrary status, content type and body: it must never crash
// and must always give exactly one of a token or an error with a code and a sentence. The tokens
// it returns are also fed to the JWT decoder, as the page does.
#include "core/jwt.h"
#include "core/token_response.h"
#include "fuzz_check.h"
#include "fuzz_response.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return FuzzAnswer(data, size, [](oauth::HttpResponse& response) {
        const oauth::TokenResponse result =
            oauth::ProcessTokenResponse(response, "https://id.example.com/token");
        FUZZ_CHECK(result.success.has_value() != result.error.has_value());
        CheckAcceptedOnly2xx(result, response);
        if (result.error) {
            FUZZ_CHECK(result.error->status == response.status);
        } else {
            FUZZ_CHECK(!result.success->accessToken.empty());
            FUZZ_CHECK(!result.success->expiresIn || *result.success->expiresIn >= 0);
            oauth::DecodeJwt(result.success->accessToken);
            oauth::DecodeJwt(result.success->idToken);
        }
        oauth::DecodeJwt(response.body);
    });
}
