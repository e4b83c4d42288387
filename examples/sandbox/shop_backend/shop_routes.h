#pragma once
// The shop's HTTP API: health and readiness, products, carts, checkout and
// the Prometheus metrics, each request counted and timed.
#include <httplib.h>

#include <string>

#include "catalogue.h"
#include "metrics.h"
#include "redis_store.h"

struct Shop {
  std::string instance;
  std::string release;
  RedisCounters& counters;
  RedisStore& store;
  Catalogue& catalogue;
  Metrics& metrics;
};

void add_shop_routes(httplib::Server& server, Shop& shop);
