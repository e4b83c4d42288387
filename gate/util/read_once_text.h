#pragma once
// A large text read once, front to back, whose pages go back to the kernel
// as the reading passes them. A large JSON suite's experiments are each read
// again from the text when they are decoded; holding the whole text until
// the last one was decoded put it beside the decoded suite, the load's peak
// (3.6 MB of text for 10,000 experiments).
#include <cstddef>
#include <string>
#include <string_view>

namespace chaosgate {

class ReadOnceText {
public:
  ReadOnceText() = default;
  // A copy of `text` in a mapping of its own (page-aligned, so that its
  // pages can be given back one by one). Throws std::bad_alloc when it
  // cannot be mapped.
  explicit ReadOnceText(std::string_view text);
  // `text` itself, moved in, not copied; release_before gives nothing back.
  // For a reader that keeps little else: there the copy is the peak (the
  // text twice while it is made), not the text beside what is decoded.
  static ReadOnceText in_place(std::string&& text);
  ~ReadOnceText();
  ReadOnceText(ReadOnceText&& other) noexcept;
  ReadOnceText& operator=(ReadOnceText&& other) noexcept;
  ReadOnceText(const ReadOnceText&) = delete;
  ReadOnceText& operator=(const ReadOnceText&) = delete;

  // The whole text; what was released reads as zero bytes.
  std::string_view view() const { return m_mapped ? std::string_view(m_data, m_size) : std::string_view(m_in_place); }
  // Gives back every whole page before `offset`: the reading is past it.
  void release_before(std::size_t offset);

private:
  // The copy's mapping (none when the text was empty or moved in).
  char* m_data = nullptr;
  std::size_t m_size = 0;
  std::size_t m_mapped = 0;    // the mapping's length, whole pages
  std::size_t m_released = 0;  // pages before this offset are given back
  std::string m_in_place;      // the text when it was moved in
};

}  // namespace chaosgate
