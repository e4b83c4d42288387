#pragma once
// RFC 4180 CSV writing.
#include <string>
#include <string_view>
#include <vector>

namespace chaosgate::insight {

// The field as is, or in double quotes (inner quotes doubled) when it holds
// a comma, a double quote, CR or LF.
std::string csv_field(std::string_view text);

// The fields joined by commas, ended by CRLF.
std::string csv_record(const std::vector<std::string>& fields);

}  // namespace chaosgate::insight
