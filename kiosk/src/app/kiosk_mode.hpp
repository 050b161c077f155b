#pragma once
// The two windowed modes: the interactive kiosk, and one headless frame written as a PNG.

#include "command_line.hpp"
#include "startup.hpp"

namespace kohtaamo {

/// Opens the kiosk (or renders the screenshot the command line asks for); returns the exit code.
[[nodiscard]] int runKioskWindow(const CommandLine& commandLine, Startup& startup, std::string version);

} // namespace kohtaamo
