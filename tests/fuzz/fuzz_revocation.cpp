// Fuzzes the revocation answer (RFC 7009): it must never crash; any 2xx is a revocation, any
// other status an error with a code and a sentence (503 may carry a Retry-After in seconds).
#include "core/revocation.h"
#include "fuzz_check.h"
#include "fuzz_response.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return FuzzAnswer(data, size, [data](oauth::HttpResponse& response) {
        if (!response.body.empty() && (data[0] & 1)) // Retry-After: the body's first bytes
            response.headers.push_back({"Retry-After", response.body.substr(0, data[2] % 16)});
        const oauth::RevocationResult result =
            oauth::ProcessRevocationResponse(response, "https://id.example.com/revoke");
        const bool success = response.status >= 200 && response.status < 300;
        FUZZ_CHECK(result.revoked == success);
        FUZZ_CHECK(result.ok() == success);
        FUZZ_CHECK(!result.message.empty());
        if (!success) {
            FUZZ_CHECK(!result.error->code.empty());
            FUZZ_CHECK(result.message == result.error->message);
        }
        if (result.retryAfterSeconds)
            FUZZ_CHECK(response.status == 503 && *result.retryAfterSeconds >= 0);
    });
}
