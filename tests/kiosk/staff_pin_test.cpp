#include "app/staff_pin.hpp"

#include <doctest/doctest.h>

using namespace kohtaamo;

TEST_CASE("a PIN is stored salted and matched only by itself")
{
    const std::string stored = hashPin("4321");
    CHECK(stored.rfind("sha256:", 0) == 0);
    CHECK(stored.find("4321") == std::string::npos);
    CHECK(pinMatches(stored, "4321"));
    CHECK_FALSE(pinMatches(stored, "1234"));
    CHECK_FALSE(pinMatches(stored, ""));
    CHECK(hashPin("4321") != stored);   // a fresh salt every time
}

TEST_CASE("malformed or missing hashes never open the panel")
{
    CHECK_FALSE(pinMatches("", "0000"));
    CHECK_FALSE(pinMatches("md5:abc", "0000"));
    CHECK_FALSE(pinMatches("sha256:nocolon", "0000"));
}
