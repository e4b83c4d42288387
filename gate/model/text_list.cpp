#include "model/text_list.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

namespace chaosgate {

void TextList::reserve(std::size_t count, std::size_t characters) {
  m_ends.reserve(count);
  m_characters.reserve(characters);
}

void TextList::push_back(std::string_view text) {
  if (text.size() > std::numeric_limits<std::uint32_t>::max() - m_characters.size())
    throw std::length_error("a list of texts past 4 GiB");
  m_characters += text;
  m_ends.push_back(static_cast<std::uint32_t>(m_characters.size()));
}

void to_json(nlohmann::json& out, const TextList& list) {
  out = nlohmann::json::array();
  for (const std::string_view text : list) out.push_back(text);
}

void from_json(const nlohmann::json& in, TextList& list) {
  list = TextList(in.get<std::vector<std::string>>());  // its errors, word for word
}

}  // namespace chaosgate
