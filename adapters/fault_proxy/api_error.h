#pragma once
// A control-API failure with Toxiproxy's status code and message; the API
// answers it as {"error": message, "status": status}.
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace chaosgate::fault_proxy {

class ApiError : public std::runtime_error {
public:
  ApiError(int status, const std::string& message) : std::runtime_error(message), m_status(status) {}
  int status() const { return m_status; }

private:
  int m_status;
};

// POST /populate failed part-way: the answer carries the error and the
// proxies created before it, as Toxiproxy's does.
class PopulateError : public ApiError {
public:
  PopulateError(const ApiError& error, nlohmann::json created)
      : ApiError(error.status(), error.what()), m_created(std::move(created)) {}
  const nlohmann::json& created() const { return m_created; }

private:
  nlohmann::json m_created;
};

// Toxiproxy's own messages, so clients that match on them keep working.
inline ApiError bad_request_body(const std::string& why) { return {400, "bad request body: " + why}; }
inline ApiError missing_field(const std::string& field) { return {400, "missing required field: " + field}; }
inline ApiError proxy_not_found() { return {404, "proxy not found"}; }
inline ApiError proxy_already_exists() { return {409, "proxy already exists"}; }
inline ApiError invalid_stream() { return {400, "stream was invalid, can be either upstream or downstream"}; }
inline ApiError invalid_toxic_type() { return {400, "invalid toxic type"}; }
inline ApiError toxic_already_exists() { return {409, "toxic already exists"}; }
inline ApiError toxic_not_found() { return {404, "toxic not found"}; }

}  // namespace chaosgate::fault_proxy
