#include "util/read_once_text.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

namespace chaosgate {
namespace {

const std::size_t k_page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));

std::string numbered_text(std::size_t size) {
  std::string text(size, ' ');
  for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
  return text;
}

// Where the first whole page inside the text starts, as an offset into it.
std::size_t first_whole_page(const ReadOnceText& text) {
  return (k_page - reinterpret_cast<std::uintptr_t>(text.view().data()) % k_page) % k_page;
}

// Which of `pages` whole pages from `offset` are resident, as the kernel tells it.
std::vector<bool> resident_pages(const ReadOnceText& text, std::size_t offset, std::size_t pages) {
  std::vector<unsigned char> flags(pages);
  EXPECT_EQ(::mincore(const_cast<char*>(text.view().data() + offset), pages * k_page, flags.data()), 0);
  std::vector<bool> resident;
  for (const unsigned char flag : flags) resident.push_back(flag & 1);
  return resident;
}

}  // namespace

TEST(ReadOnceText, TakesTheTextWithoutACopy) {
  std::string original = numbered_text(3 * k_page + 17);
  const std::string expected = original;
  const char* bytes = original.data();
  const ReadOnceText text(std::move(original));
  EXPECT_EQ(text.view().data(), bytes);  // the string's own buffer
  EXPECT_EQ(text.view(), expected);
}

TEST(ReadOnceText, GivesBackTheWholePagesBeforeTheReadingAndKeepsTheRest) {
  const std::string expected = numbered_text(10 * k_page + 100);
  ReadOnceText text{std::string(expected)};
  const std::size_t head = first_whole_page(text);  // shared with the heap before it: kept
  EXPECT_EQ(resident_pages(text, head, 8), std::vector<bool>(8, true));

  // Into the fourth whole page: the three before it go, the fourth stays whole.
  text.release_before(head + 3 * k_page + 100);
  EXPECT_EQ(resident_pages(text, head, 8), (std::vector<bool>{false, false, false, true, true, true, true, true}));
  EXPECT_EQ(text.view().substr(0, head), std::string_view(expected).substr(0, head));
  EXPECT_EQ(text.view().substr(head, 3 * k_page), std::string(3 * k_page, '\0')) << "released pages read as zeros";
  EXPECT_EQ(text.view().substr(head + 3 * k_page), std::string_view(expected).substr(head + 3 * k_page));

  text.release_before(k_page);  // behind what was released: nothing changes
  EXPECT_EQ(text.view().substr(head + 3 * k_page), std::string_view(expected).substr(head + 3 * k_page));
  text.release_before(100 * k_page);  // past the end: every whole page, not the last part-page
  // (The first three were read above as zeros, which maps the kernel's zero page in: not asked again.)
  EXPECT_EQ(resident_pages(text, head + 3 * k_page, 6), std::vector<bool>(6, false));
  const std::size_t tail = head + (expected.size() - head) / k_page * k_page;
  EXPECT_EQ(text.view().substr(tail), std::string_view(expected).substr(tail));
}

TEST(ReadOnceText, MovesAndHandlesShortAndEmptyTexts) {
  ReadOnceText text{numbered_text(2 * k_page)};
  ReadOnceText moved(std::move(text));
  EXPECT_EQ(moved.view().size(), 2 * k_page);
  EXPECT_TRUE(text.view().empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  ReadOnceText empty;
  empty.release_before(10);
  EXPECT_TRUE(empty.view().empty());
  empty = std::move(moved);
  EXPECT_EQ(empty.view().size(), 2 * k_page);

  // A short text lives inside its string: a move must follow it there, and there is no page to give back.
  ReadOnceText short_text{std::string("{\"a\": 1}")};
  short_text.release_before(8);
  ReadOnceText assigned;
  assigned = std::move(short_text);
  EXPECT_EQ(assigned.view(), "{\"a\": 1}");
}

}  // namespace chaosgate
