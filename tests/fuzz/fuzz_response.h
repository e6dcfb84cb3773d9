#pragma once
// Builds an HttpResponse from fuzz bytes for the endpoint-answer targets: the first two bytes
// pick the HTTP status (0..599, 0 meaning no answer) and whether the body claims to be HTML; the
// rest is the body.
#include "core/http.h"
#include "fuzz_check.h"

#include <cstddef>
#include <cstdint>

inline bool FuzzResponse(const std::uint8_t* data, std::size_t size, oauth::HttpResponse& response) {
    if (size < 2)
        return false;
    response.status = (data[0] | (data[1] << 8)) % 600;
    response.headers = {{"Content-Type", (data[1] & 0x80) ? "text/html" : "application/json"}};
    response.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);
    return true;
}

// The frame of every endpoint-answer target: the fuzz bytes as an HttpResponse (fewer than two bytes
// are no answer and are skipped), then the target's `check` of it, which may still change it.
template <class Check> int FuzzAnswer(const std::uint8_t* data, std::size_t size, Check check) {
    oauth::HttpResponse response;
    if (FuzzResponse(data, size, response))
        check(response);
    return 0;
}

// What every endpoint's answer handler keeps to: an answer is accepted only with a 2xx status,
// and a refused one has an error code and a sentence.
template <class Result> void CheckAcceptedOnly2xx(const Result& result, const oauth::HttpResponse& response) {
    if (result.ok()) {
        FUZZ_CHECK(response.status >= 200 && response.status < 300);
    } else {
        FUZZ_CHECK(!result.error->code.empty());
        FUZZ_CHECK(!result.error->message.empty());
    }
}
