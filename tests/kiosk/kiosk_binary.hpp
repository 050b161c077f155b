#pragma once
// Runs the real kohtaamo-kiosk binary, as IT or staff would, and captures what it prints.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

namespace kohtaamo::test {

struct Run {
    int exitCode = 0;
    std::string output;   ///< standard output and standard error together
};

inline Run runKiosk(const std::string& arguments)
{
    const std::string command = fmt::format("'{}' {} 2>&1", KOHTAAMO_KIOSK_BINARY, arguments);
    std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
    REQUIRE(pipe);
    Run result;
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe.get())) result.output += buffer.data();
    const int status = pclose(pipe.release());
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

} // namespace kohtaamo::test
