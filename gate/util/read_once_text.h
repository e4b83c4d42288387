#pragma once
// A large text read once, front to back, whose pages go back to the kernel
// as the reading passes them. A large JSON suite's experiments are each read
// again from the text when they are decoded; holding the whole text until
// the last one was decoded put it beside what was decoded, the load's peak
// (3.6 MB of text for 10,000 experiments).
#include <cstddef>
#include <string>
#include <string_view>

namespace chaosgate {

class ReadOnceText {
public:
  ReadOnceText() = default;
  // `text` itself, moved in, not copied (a copy would hold the text twice
  // while it is made): the whole pages inside its buffer are what is given
  // back; the parts of pages it shares with the rest of the heap stay.
  explicit ReadOnceText(std::string&& text) : m_text(std::move(text)) {}
  ReadOnceText(ReadOnceText&& other) noexcept;
  ReadOnceText& operator=(ReadOnceText&& other) noexcept;
  ReadOnceText(const ReadOnceText&) = delete;
  ReadOnceText& operator=(const ReadOnceText&) = delete;

  // The whole text; what was released reads as zero bytes.
  std::string_view view() const { return m_text; }
  // Gives back every whole page before `offset`: the reading is past it.
  void release_before(std::size_t offset);

private:
  std::string m_text;
  std::size_t m_released = 0;  // the whole pages before this offset of the text are given back
};

}  // namespace chaosgate
