#include "core/qr_code.h"

#include <qrcodegen.h>

#include <string>

namespace oauth {

std::optional<QrCode> EncodeQr(std::string_view text) {
    if (text.empty() || text.find('\0') != std::string_view::npos)
        return std::nullopt;
    const std::string terminated(text); // the library reads a NUL-terminated string
    std::vector<std::uint8_t> temp(qrcodegen_BUFFER_LEN_MAX), code(qrcodegen_BUFFER_LEN_MAX);
    if (!qrcodegen_encodeText(terminated.c_str(), temp.data(), code.data(), qrcodegen_Ecc_MEDIUM,
                              qrcodegen_VERSION_MIN, qrcodegen_VERSION_MAX, qrcodegen_Mask_AUTO, true))
        return std::nullopt;
    QrCode qr;
    qr.size = qrcodegen_getSize(code.data());
    const auto side = static_cast<std::size_t>(qr.size);
    qr.dark.resize(side * side);
    for (int y = 0; y < qr.size; ++y)
        for (int x = 0; x < qr.size; ++x)
            qr.dark[static_cast<std::size_t>(y) * side + static_cast<std::size_t>(x)] =
                qrcodegen_getModule(code.data(), x, y) ? 1 : 0;
    return qr;
}

} // namespace oauth
