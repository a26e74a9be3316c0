// The master key of the tests (docs/erasure.md): the in-process fixtures seal with it and
// every `docledger` child the tests start gets it, so both read the same data keys.
#pragma once

namespace docledger::testing {

inline constexpr const char* kTestMasterKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";

}  // namespace docledger::testing
