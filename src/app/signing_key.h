// The private_key_jwt key of the selected profile (RFC 7523, OpenID Connect Core section 9):
// generated in the page or pasted, and its public half shown as a JWK and a JWKS to register.
#pragma once

#include "app/parts.h"

namespace app {

// A new key pair for the profile's algorithm (WebCrypto); the private JWK becomes its Private key.
void GenerateSigningKey(const Parts& parts);
// Reads the selected profile's Private key and shows its public JWK and JWKS (or why it cannot).
void ShowPublicKey(const Parts& parts);

} // namespace app
