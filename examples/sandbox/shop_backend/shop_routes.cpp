#include "shop_routes.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

namespace {

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

void reply_json(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

void redis_unavailable(httplib::Response& response) {
  reply_json(response, 503, {{"error", "redis unavailable"}});
}

// Every route records its status and latency under a fixed route name (not
// the path: cart ids would make the label set unbounded).
Handler timed(Metrics& metrics, std::string route, Handler handler) {
  return [&metrics, route = std::move(route), handler = std::move(handler)](const httplib::Request& request,
                                                                             httplib::Response& response) {
    const auto start = std::chrono::steady_clock::now();
    handler(request, response);
    if (response.status == -1) response.status = 200;  // httplib's "not set": it sends 200
    metrics.observe(route, response.status,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };
}

// A product id from a JSON body: an integer or a string of word characters.
std::optional<std::string> product_of(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("product")) return std::nullopt;
  const auto& product = body["product"];
  if (product.is_number_integer()) return std::to_string(product.get<long>());
  if (product.is_string() && !product.get<std::string>().empty()) return product.get<std::string>();
  return std::nullopt;
}

}  // namespace

void add_shop_routes(httplib::Server& server, Shop& shop) {
  // Liveness only: answers while the process serves. Redis-aware readiness is
  // /ready, so a redis stall never reads as "the storefront is down".
  server.Get("/health", timed(shop.metrics, "health", [&shop](const httplib::Request&, httplib::Response& response) {
    reply_json(response, 200, {{"status", "ok"}, {"instance", shop.instance}, {"release", shop.release}});
  }));
  // A known server-side delay (?ms=N, at most 10 s), without redis: what
  // bench/run measures probe latency against.
  server.Get("/delay", [](const httplib::Request& request, httplib::Response& response) {
    long ms = 0;
    try {
      ms = std::stol(request.get_param_value("ms"));
    } catch (const std::exception&) {
      return reply_json(response, 400, {{"error", "write /delay?ms=N"}});
    }
    if (ms < 0 || ms > 10000) return reply_json(response, 400, {{"error", "ms must be 0..10000"}});
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    reply_json(response, 200, {{"delayedMs", ms}});
  });
  // Readiness: redis answers PING (within the retries this release allows).
  server.Get("/ready", timed(shop.metrics, "ready", [&shop](const httplib::Request&, httplib::Response& response) {
    if (!shop.store.command({"PING"})) return redis_unavailable(response);
    reply_json(response, 200, {{"status", "ok"}, {"instance", shop.instance}});
  }));
  server.Get("/products", timed(shop.metrics, "products", [&shop](const httplib::Request&, httplib::Response& response) {
    const auto products = shop.catalogue.get();
    if (!products) return redis_unavailable(response);
    response.set_content(*products, "application/json");
  }));
  server.Get(R"(/cart/([\w-]{1,64}))", timed(shop.metrics, "cart", [&shop](const httplib::Request& request,
                                                                            httplib::Response& response) {
    const std::string id = request.matches[1].str();
    const auto fields = shop.store.array_command({"HGETALL", "shop:cart:" + id});
    if (!fields) return redis_unavailable(response);
    nlohmann::json items = nlohmann::json::object();
    for (std::size_t i = 0; i + 1 < fields->size(); i += 2)
      items[(*fields)[i]] = std::strtol((*fields)[i + 1].c_str(), nullptr, 10);
    reply_json(response, 200, {{"id", id}, {"items", items}, {"instance", shop.instance}});
  }));
  server.Post(R"(/cart/([\w-]{1,64})/items)", timed(shop.metrics, "cart-add", [&shop](const httplib::Request& request,
                                                                                       httplib::Response& response) {
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    const auto product = product_of(body);
    const auto quantity = body.is_object() ? body.value("quantity", nlohmann::json(1)) : nlohmann::json();
    if (!product || !quantity.is_number_integer())
      return reply_json(response, 400, {{"error", R"(expected {"product": id, "quantity": n})"}});
    const auto count = shop.store.command({"HINCRBY", "shop:cart:" + request.matches[1].str(), *product,
                                           std::to_string(quantity.get<long>())});
    if (!count) return redis_unavailable(response);
    reply_json(response, 201, {{"product", *product}, {"quantity", std::strtol(count->c_str(), nullptr, 10)}});
  }));
  // Checkout needs redis twice: the cart must exist, then an order number.
  server.Post("/checkout", timed(shop.metrics, "checkout", [&shop](const httplib::Request& request,
                                                                 httplib::Response& response) {
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    const std::string cart = body.is_object() && body.contains("cart") && body["cart"].is_string()
                                 ? body["cart"].get<std::string>() : "";
    if (cart.empty()) return reply_json(response, 400, {{"error", R"(expected {"cart": id})"}});
    const auto items = shop.store.command({"HLEN", "shop:cart:" + cart});
    if (!items) return redis_unavailable(response);
    const auto order = shop.store.command({"INCR", "shop:orders"});
    if (!order) return redis_unavailable(response);
    reply_json(response, 200, {{"order", std::strtol(order->c_str(), nullptr, 10)}, {"cart", cart},
                               {"items", std::strtol(items->c_str(), nullptr, 10)}});
  }));
  server.Get("/metrics", [&shop](const httplib::Request&, httplib::Response& response) {
    response.set_content(shop.metrics.render(shop.instance, shop.release, shop.counters.errors, shop.counters.retries),
                         "text/plain; version=0.0.4");
  });
}
