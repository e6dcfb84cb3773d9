// Fuzzes the introspection answer (RFC 7662): it must never crash; an answer it accepts has a
// boolean "active" equal to what it reports; a refused one has a code and a sentence.
#include "core/introspection.h"
#include "fuzz_check.h"
#include "fuzz_response.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return FuzzAnswer(data, size, [](oauth::HttpResponse& response) {
        const oauth::Introspection result =
            oauth::ProcessIntrospectionResponse(response, "https://id.example.com/introspect");
        CheckAcceptedOnly2xx(result, response);
        if (result.ok()) {
            FUZZ_CHECK(result.fields.is_object());
            FUZZ_CHECK(result.fields.at("active").is_boolean());
            FUZZ_CHECK(result.fields.at("active").get<bool>() == result.active);
            FUZZ_CHECK(!result.message.empty());
        } else {
            FUZZ_CHECK(result.error->status == response.status);
        }
    });
}
