#pragma once
// nlohmann's get<T> for an integer T converts a number written with a fraction
// or an exponent (8.9e29) by a plain cast, whose result C++ leaves undefined
// when it does not fit (found by the journal-reader fuzzer). These read an
// integer as get<T> does, but refuse such a number with nlohmann's
// out_of_range 406, naming it, as nlohmann refuses a wrong type.
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace chaosgate {

template <typename T, typename Json>
T json_integer(const Json& value) {
  static_assert(std::numeric_limits<T>::is_integer);
  if (value.is_number_float()) {
    // [low, high) as doubles: powers of two, so exact; NaN fails both tests.
    const double high = std::ldexp(1.0, std::numeric_limits<T>::digits);
    const double low = std::numeric_limits<T>::is_signed ? -high : 0.0;
    const double number = value.template get<double>();
    if (!(number >= low && number < high))
      throw nlohmann::json::out_of_range::create(406, "number " + value.dump() + " does not fit an integer field", &value);
  }
  return value.template get<T>();
}

// The member `key` of an object as json_integer reads it, `fallback` when
// absent (json::value's semantics).
template <typename T, typename Json>
T json_integer_or(const Json& object, const char* key, T fallback) {
  if (!object.is_object())  // as json::value refuses it
    throw nlohmann::json::type_error::create(306, "cannot use value() with " + std::string(object.type_name()), &object);
  const auto it = object.find(key);
  return it == object.end() ? fallback : json_integer<T>(*it);
}

}  // namespace chaosgate
