// How log lines are written (DOCLEDGER_LOG_FORMAT): text for a terminal, JSON for a log
// pipeline. Apart from config.hpp so that the logging library needs nothing else.
#pragma once

namespace docledger::infrastructure {

enum class LogFormat { kText, kJson };

}  // namespace docledger::infrastructure
