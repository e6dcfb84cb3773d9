#pragma once
// Real JWS signing and verification for native tests, with OpenSSL's libcrypto (Debian libssl-dev):
// what WebCrypto does in the page (web/host/signing.js), for HS256, RS256, PS256 and ES256 (JOSE
// r||s signatures, RFC 7518 section 3.4). Keys are PKCS#8 PEM; public keys come out as JWKs.
// Native only: the wasm build of the unit tests has no OpenSSL (OAUTH_TEST_OPENSSL unset).
#ifdef OAUTH_TEST_OPENSSL
#include "core/encoding.h"

#include <nlohmann/json.hpp>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace oauth::test {

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

inline PKey ReadPrivatePem(const std::string& pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                  &BIO_free);
    return PKey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
}

inline std::string WritePrivatePem(EVP_PKEY* key) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

// A new RSA 2048 key (RS256, PS256) or P-256 key (ES256), as PKCS#8 PEM.
inline std::string GeneratePem(const std::string& algorithm) {
    EVP_PKEY* key = algorithm == "ES256" ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
    PKey owned(key, &EVP_PKEY_free);
    return WritePrivatePem(key);
}

inline std::string Bytes(const std::vector<unsigned char>& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

inline std::string BigNumber(const EVP_PKEY* key, const char* name, int width = 0) {
    BIGNUM* bn = nullptr;
    if (!EVP_PKEY_get_bn_param(key, name, &bn))
        return {};
    std::vector<unsigned char> out(static_cast<std::size_t>(width > 0 ? width : BN_num_bytes(bn)));
    BN_bn2binpad(bn, out.data(), static_cast<int>(out.size()));
    BN_free(bn);
    return Base64UrlEncode(Bytes(out));
}

// The public JWK of a PEM private key; nullopt when OpenSSL cannot read it.
inline std::optional<nlohmann::json> PublicJwkOf(const std::string& pem) {
    PKey key = ReadPrivatePem(pem);
    if (!key)
        return std::nullopt;
    if (EVP_PKEY_is_a(key.get(), "RSA"))
        return nlohmann::json{{"kty", "RSA"},
                              {"n", BigNumber(key.get(), OSSL_PKEY_PARAM_RSA_N)},
                              {"e", BigNumber(key.get(), OSSL_PKEY_PARAM_RSA_E)}};
    return nlohmann::json{{"kty", "EC"},
                          {"crv", "P-256"},
                          {"x", BigNumber(key.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32)},
                          {"y", BigNumber(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32)}};
}

inline std::string HmacSha256(const std::string& key, const std::string& data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &size);
    return std::string(reinterpret_cast<char*>(mac), size);
}

// DER ECDSA-Sig-Value <-> JOSE r||s (32 bytes each for P-256).
inline std::string DerToJose(const std::vector<unsigned char>& der) {
    const unsigned char* p = der.data();
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    std::vector<unsigned char> out(64);
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), out.data(), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), out.data() + 32, 32);
    ECDSA_SIG_free(sig);
    return Bytes(out);
}

inline std::vector<unsigned char> JoseToDer(const std::string& jose) {
    ECDSA_SIG* sig = ECDSA_SIG_new();
    const auto* raw = reinterpret_cast<const unsigned char*>(jose.data());
    ECDSA_SIG_set0(sig, BN_bin2bn(raw, 32, nullptr), BN_bin2bn(raw + 32, 32, nullptr));
    unsigned char* der = nullptr;
    const int size = i2d_ECDSA_SIG(sig, &der);
    std::vector<unsigned char> out(der, der + size);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return out;
}

inline void UsePss(EVP_PKEY_CTX* ctx, const std::string& algorithm) {
    if (algorithm == "PS256") {
        EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32); // RFC 7518 section 3.5
    }
}

// The raw JWS signature (not base64url) of `input`; nullopt when the key does not fit.
inline std::optional<std::string> SignJws(const std::string& algorithm, const std::string& key,
                                          const std::string& input) {
    if (algorithm == "HS256")
        return HmacSha256(key, input);
    PKey pkey = ReadPrivatePem(key);
    if (!pkey || EVP_PKEY_is_a(pkey.get(), "EC") != (algorithm == "ES256"))
        return std::nullopt;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_PKEY_CTX* ctx = nullptr;
    EVP_DigestSignInit(md.get(), &ctx, EVP_sha256(), nullptr, pkey.get());
    UsePss(ctx, algorithm);
    std::size_t size = 0;
    EVP_DigestSign(md.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::vector<unsigned char> sig(size);
    if (EVP_DigestSign(md.get(), sig.data(), &size, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) != 1)
        return std::nullopt;
    sig.resize(size);
    return algorithm == "ES256" ? DerToJose(sig) : Bytes(sig);
}

// Verifies a compact JWS with the public half of `privatePem` (or the HS256 secret): a real
// check, so a test that reads a wrong signature fails.
inline bool VerifyJws(const std::string& algorithm, const std::string& key, const std::string& jws) {
    const std::size_t cut = jws.rfind('.');
    const std::string input = jws.substr(0, cut);
    const std::string signature = Base64UrlDecode(jws.substr(cut + 1)).value_or("");
    if (algorithm == "HS256")
        return HmacSha256(key, input) == signature;
    PKey pkey = ReadPrivatePem(key);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_PKEY_CTX* ctx = nullptr;
    EVP_DigestVerifyInit(md.get(), &ctx, EVP_sha256(), nullptr, pkey.get());
    UsePss(ctx, algorithm);
    std::vector<unsigned char> sig = algorithm == "ES256" && signature.size() == 64
                                         ? JoseToDer(signature)
                                         : std::vector<unsigned char>(signature.begin(), signature.end());
    return EVP_DigestVerify(md.get(), sig.data(), sig.size(),
                            reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

} // namespace oauth::test
#endif
