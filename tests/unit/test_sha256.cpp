#include "core/sha256.h"

#include <catch2/catch.hpp>

#include <string>

using namespace oauth;

namespace {

std::string Hex(const Sha256Digest& digest) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::uint8_t byte : digest) {
        out += digits[byte >> 4];
        out += digits[byte & 15];
    }
    return out;
}

} // namespace

TEST_CASE("SHA-256 matches the NIST FIPS 180-4 example vectors", "[sha256]") {
    SECTION("one block: abc") {
        CHECK(Hex(Sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
    SECTION("two blocks: 448-bit message") {
        CHECK(Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
    SECTION("896-bit message") {
        CHECK(Hex(Sha256("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklm"
                         "nopqrlmnop"
                         "qrsmnopqrstnopqrstu")) ==
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    }
    SECTION("empty message") {
        CHECK(Hex(Sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
    SECTION("one million 'a'") {
        CHECK(Hex(Sha256(std::string(1000000, 'a'))) ==
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
}

TEST_CASE("SHA-256 pads correctly around the block boundary", "[sha256]") {
    // 55 bytes fit one block with the length; 56 need a second; 64 is exactly one block.
    CHECK(Hex(Sha256(std::string(55, 'a'))) ==
          "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    CHECK(Hex(Sha256(std::string(56, 'a'))) ==
          "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    CHECK(Hex(Sha256(std::string(64, 'a'))) ==
          "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}
