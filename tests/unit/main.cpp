// Catch2 v2 supplies main(); every other file in this folder holds the tests of one subject.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
