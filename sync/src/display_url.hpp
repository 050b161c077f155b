#pragma once
// A URL as it may appear in messages, logs and status files: without a user name or password.
// Private to the sync module.

#include <algorithm>
#include <string>
#include <string_view>

namespace kohtaamo {

[[nodiscard]] inline std::string displayUrl(std::string_view url)
{
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return std::string(url);
    const auto hostStart = scheme + 3;
    const auto hostEnd = std::min(url.size(), url.find_first_of("/?#", hostStart));
    const auto at = url.substr(hostStart, hostEnd - hostStart).rfind('@');
    if (at == std::string_view::npos) return std::string(url);
    return std::string(url.substr(0, hostStart)) + std::string(url.substr(hostStart + at + 1));
}

} // namespace kohtaamo
