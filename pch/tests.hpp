// Precompiled header of the test binaries (-Dpch=true).
#pragma once
#include "pch/stack.hpp"

#include <gtest/gtest.h>
