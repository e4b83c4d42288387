#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace chaosgate::cli {

// Left-aligned columns, two spaces apart, sized to their widest cell.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

}  // namespace chaosgate::cli
