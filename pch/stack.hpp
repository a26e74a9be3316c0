// Precompiled header of the I/O layers (-Dpch=true): Beast/Asio, libpqxx, spdlog/fmt on top
// of pch/domain.hpp. Only the build's speed depends on it: every file includes what it uses.
#pragma once
#include "pch/domain.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>
