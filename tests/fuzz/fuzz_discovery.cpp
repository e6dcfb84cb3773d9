// Fuzzes ProcessDiscoveryResponse with arbitrary status and document: it must never crash, must
// give either a usable document (with a token endpoint and the expected issuer) or a code and a
// sentence, and what it returns must apply to a profile and be checked against it without harm.
#include "core/discovery.h"
#include "fuzz_check.h"
#include "fuzz_response.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return FuzzAnswer(data, size, [](oauth::HttpResponse& response) {
        for (std::string_view expected : {std::string_view{}, std::string_view("https://id.example.com")}) {
            const oauth::Discovery discovery = oauth::ProcessDiscoveryResponse(response, expected);
            if (!discovery.ok()) {
                FUZZ_CHECK(!discovery.code.empty());
                continue;
            }
            FUZZ_CHECK(discovery.code.empty());
            FUZZ_CHECK(response.status >= 200 && response.status < 300);
            FUZZ_CHECK(!discovery.metadata.tokenEndpoint.empty());
            FUZZ_CHECK(discovery.document.is_object());
            if (!expected.empty() && !discovery.issuerIsTemplate)
                FUZZ_CHECK(discovery.metadata.issuer == expected ||
                           discovery.metadata.issuer == "https://id.example.com/");
            oauth::Profile profile;
            profile.grantType = oauth::GrantType::AuthorizationCode;
            oauth::ApplyDiscovery(profile, discovery);
            FUZZ_CHECK(profile.accessTokenUrl == discovery.metadata.tokenEndpoint);
            oauth::CheckProfileAgainstDiscovery(profile, discovery);
        }
        // The same bytes as what a person types in the Issuer / discovery URL field.
        const std::string typed(response.body);
        oauth::DiscoveryDocumentUrl(typed);
        oauth::ExpectedIssuer(typed);
    });
}
