#include "staff_pin.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

namespace kohtaamo {
namespace {

std::string sha256Hex(std::string_view data)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
    return hex;
}

} // namespace

std::string hashPin(std::string_view pin)
{
    std::array<unsigned char, 8> salt{};
    RAND_bytes(salt.data(), static_cast<int>(salt.size()));
    std::string saltHex;
    for (unsigned char byte : salt) saltHex += fmt::format("{:02x}", byte);
    return fmt::format("sha256:{}:{}", saltHex, sha256Hex(saltHex + std::string(pin)));
}

bool pinMatches(std::string_view stored, std::string_view pin)
{
    if (!stored.starts_with("sha256:") || pin.empty()) return false;
    const auto rest = stored.substr(7);
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return false;
    const std::string expected(rest.substr(colon + 1));
    const std::string actual = sha256Hex(std::string(rest.substr(0, colon)) + std::string(pin));
    return expected.size() == actual.size() && CRYPTO_memcmp(expected.data(), actual.data(), actual.size()) == 0;
}

} // namespace kohtaamo
