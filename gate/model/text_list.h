#pragma once
// Texts kept one after another in one buffer, read back as views: about four
// bytes and the characters each, where a std::vector<std::string> takes 32
// and often a heap block more. For the incident coverage's experiment ids,
// which `run` holds from planning to the reports (every promoted experiment's).
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace chaosgate {

class TextList {
public:
  class const_iterator {
  public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;

    const_iterator() = default;
    std::string_view operator*() const { return (*m_list)[m_at]; }
    const_iterator& operator++() {
      ++m_at;
      return *this;
    }
    const_iterator operator++(int) {
      const const_iterator before = *this;
      ++m_at;
      return before;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.m_at == b.m_at; }

  private:
    friend class TextList;
    const_iterator(const TextList* list, std::size_t at) : m_list(list), m_at(at) {}
    const TextList* m_list = nullptr;
    std::size_t m_at = 0;
  };

  TextList() = default;
  // Implicit, as the std::vector<std::string> it replaced: records are built from lists.
  TextList(std::initializer_list<std::string_view> texts) { append_all(texts); }
  TextList(const std::vector<std::string>& texts) { append_all(texts); }

  // Room for `count` texts of `characters` in all.
  void reserve(std::size_t count, std::size_t characters);
  // Throws std::length_error past 4 GiB of characters (offsets are 32-bit).
  void push_back(std::string_view text);

  std::size_t size() const { return m_ends.size(); }
  bool empty() const { return m_ends.empty(); }
  std::string_view operator[](std::size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : m_ends[i - 1];
    return std::string_view(m_characters).substr(begin, m_ends[i] - begin);
  }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

  friend bool operator==(const TextList&, const TextList&) = default;

private:
  template <typename Texts>
  void append_all(const Texts& texts) {
    std::size_t characters = 0;
    for (const std::string_view text : texts) characters += text.size();
    reserve(std::size(texts), characters);
    for (const std::string_view text : texts) push_back(text);
  }

  std::string m_characters;
  std::vector<std::uint32_t> m_ends;  // where each text ends in m_characters
};

// A JSON array of strings, as the list it replaced was written.
void to_json(nlohmann::json& out, const TextList& list);
void from_json(const nlohmann::json& in, TextList& list);

}  // namespace chaosgate
