#include "catalogue.h"

namespace {

const char* const k_seed =
    R"([{"id":1,"name":"Chaos monkey plush","price":19.9,"stock":12},)"
    R"({"id":2,"name":"Blast radius mug","price":9.5,"stock":40},)"
    R"({"id":3,"name":"Steady state poster","price":14.0,"stock":7}])";
const char* const k_key = "shop:products";

}  // namespace

std::optional<std::string> Catalogue::get() {
  {
    std::lock_guard lock(m_mutex);
    const bool fresh = std::chrono::steady_clock::now() - m_read_at < k_refresh_every;
    if (!m_json.empty() && (fresh || m_refreshing)) return m_json;
    m_refreshing = true;
  }
  // Redis is read without the lock: a stall delays this request only.
  auto products = m_store.command({"GET", k_key});
  if (products && products->empty()) {
    m_store.command({"SET", k_key, k_seed, "NX"});  // a fresh (or flushed) redis
    products = k_seed;
  }
  std::lock_guard lock(m_mutex);
  m_refreshing = false;
  if (products) {
    m_json = *products;
    m_read_at = std::chrono::steady_clock::now();
  }
  if (m_json.empty()) return std::nullopt;
  return m_json;
}
