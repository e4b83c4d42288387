#pragma once
// The shop backend's command line: where redis is, and the "release"
// switches (retries, timeout) a demo flips to make a release regress.
#include <optional>
#include <string>

#include "redis_store.h"

struct Options {
  int port = 0;
  std::string instance = "a";
  std::string release = "good";
  RedisSettings redis;
  int print_free_ports = 0;  // > 0: print that many free ports and exit
};

extern const char* const k_usage;

// The options, or nullopt (after printing why) when the command line is wrong.
std::optional<Options> parse_options(int argc, char** argv);

// Binds `count` sockets to port 0 on 127.0.0.1 at once (so the ports differ),
// prints them one per line, closes them. The sandbox script picks its ports so.
int print_free_ports(int count);
