#include "options.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <vector>

const char* const k_usage =
    "usage: shop-backend --port P --redis-port P [--redis-host H] [--redis-retries N]\n"
    "                    [--redis-timeout-ms MS] [--release NAME] [--instance NAME]\n"
    "       shop-backend --print-free-ports N\n";

namespace {

int to_int(const std::string& flag, const std::string& text, int minimum) {
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || value < minimum)
    throw std::invalid_argument(flag + " needs an integer >= " + std::to_string(minimum) + ", got '" + text + "'");
  return value;
}

}  // namespace

std::optional<Options> parse_options(int argc, char** argv) {
  Options options;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string flag = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
        return argv[++i];
      };
      if (flag == "--print-free-ports") options.print_free_ports = to_int(flag, value(), 1);
      else if (flag == "--port") options.port = to_int(flag, value(), 1);
      else if (flag == "--redis-host") options.redis.host = value();
      else if (flag == "--redis-port") options.redis.port = to_int(flag, value(), 1);
      else if (flag == "--redis-retries") options.redis.retries = to_int(flag, value(), 0);
      else if (flag == "--redis-timeout-ms") options.redis.timeout_ms = to_int(flag, value(), 1);
      else if (flag == "--release") options.release = value();
      else if (flag == "--instance") options.instance = value();
      else throw std::invalid_argument("unknown flag " + flag);
    }
    if (options.print_free_ports == 0 && (options.port == 0 || options.redis.port == 0))
      throw std::invalid_argument("--port and --redis-port are required");
  } catch (const std::invalid_argument& error) {
    std::cerr << "shop-backend: " << error.what() << '\n' << k_usage;
    return std::nullopt;
  }
  return options;
}

int print_free_ports(int count) {
  std::vector<int> sockets;
  int status = 0;
  for (int i = 0; i < count && status == 0; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
      status = 1;
      break;
    }
    sockets.push_back(fd);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      status = 1;
    else
      std::cout << ntohs(address.sin_port) << '\n';
  }
  if (status != 0) std::cerr << "shop-backend: cannot bind a free port: " << std::strerror(errno) << '\n';
  for (int fd : sockets) close(fd);
  return status;
}
