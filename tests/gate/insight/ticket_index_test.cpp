#include "insight/ticket_index.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tickets/ticket.h"

namespace chaosgate::insight {

namespace {

nlohmann::json ticket(const std::string& key, const std::string& experiment, const std::string& status,
                      const std::string& suite = "shop") {
  return {{"key", key}, {"experiment", experiment}, {"status", status},
          {"labels", {"chaosgate", experiment_label(suite, experiment)}}};
}

}  // namespace

TEST(RiskTicketIndex, OnlyOpenTicketsOfThisSuitesExperiments) {
  const nlohmann::json index = {{"schemaVersion", 1},
                                {"tickets",
                                 {ticket("CHAOS-1", "cart-redis", "open"), ticket("CHAOS-2", "cart-redis", "resolved"),
                                  ticket("CHAOS-3", "cart-redis", "open", "other-suite"),
                                  ticket("CHAOS-4", "cart-redis", "open")}}};
  const auto open = open_tickets_by_experiment(index, "shop");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open.at("cart-redis"), (std::vector<std::string>{"CHAOS-1", "CHAOS-4"}));
}

TEST(RiskTicketIndex, SomethingElseIsRefused) {
  EXPECT_THROW(open_tickets_by_experiment(nlohmann::json::array(), "shop"), std::runtime_error);
  EXPECT_THROW(open_tickets_by_experiment({{"schemaVersion", 2}, {"tickets", nlohmann::json::array()}}, "shop"),
               std::runtime_error);
}

}  // namespace chaosgate::insight
