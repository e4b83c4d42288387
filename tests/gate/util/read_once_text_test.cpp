#include "util/read_once_text.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace chaosgate {
namespace {

const std::size_t k_page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));

// Which of the text's pages are resident, as the kernel tells it.
std::vector<bool> resident_pages(const ReadOnceText& text) {
  const std::size_t pages = (text.view().size() + k_page - 1) / k_page;
  std::vector<unsigned char> flags(pages);
  void* start = const_cast<char*>(text.view().data());
  EXPECT_EQ(::mincore(start, pages * k_page, flags.data()), 0);
  std::vector<bool> resident;
  for (const unsigned char flag : flags) resident.push_back(flag & 1);
  return resident;
}

std::string numbered_text(std::size_t size) {
  std::string text(size, ' ');
  for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
  return text;
}

TEST(ReadOnceText, HoldsACopyOfTheText) {
  const std::string original = numbered_text(3 * k_page + 17);
  const ReadOnceText text(original);
  EXPECT_EQ(text.view(), original);
  EXPECT_NE(text.view().data(), original.data());
}

TEST(ReadOnceText, GivesBackTheWholePagesBeforeTheReadingAndKeepsTheRest) {
  const std::string original = numbered_text(8 * k_page);
  ReadOnceText text(original);
  EXPECT_EQ(resident_pages(text), std::vector<bool>(8, true));

  // Into the fourth page: the three before it go, the fourth stays whole.
  text.release_before(3 * k_page + 100);
  EXPECT_EQ(resident_pages(text), (std::vector<bool>{false, false, false, true, true, true, true, true}));
  EXPECT_EQ(text.view().substr(3 * k_page), std::string_view(original).substr(3 * k_page));

  text.release_before(k_page);  // behind what was released: nothing changes
  EXPECT_EQ(text.view().substr(3 * k_page), std::string_view(original).substr(3 * k_page));
  text.release_before(100 * k_page);  // past the end: every page
  EXPECT_EQ(resident_pages(text), std::vector<bool>(8, false));
}

TEST(ReadOnceText, MovesItsMappingAndHandlesAnEmptyText) {
  ReadOnceText text(numbered_text(2 * k_page));
  ReadOnceText moved(std::move(text));
  EXPECT_EQ(moved.view().size(), 2 * k_page);
  EXPECT_TRUE(text.view().empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  ReadOnceText empty{std::string_view{}};
  empty.release_before(10);
  EXPECT_TRUE(empty.view().empty());
  empty = std::move(moved);
  EXPECT_EQ(empty.view().size(), 2 * k_page);
}

TEST(ReadOnceText, InPlaceTakesTheTextWithoutACopyAndGivesNothingBack) {
  std::string original = numbered_text(4 * k_page);
  const std::string expected = original;
  const char* bytes = original.data();
  ReadOnceText text = ReadOnceText::in_place(std::move(original));
  EXPECT_EQ(text.view().data(), bytes);  // the string's own buffer
  text.release_before(3 * k_page);
  EXPECT_EQ(text.view(), expected);  // nothing was given back

  // A short text lives inside its string: a move must follow it there.
  ReadOnceText short_text = ReadOnceText::in_place(std::string("{\"a\": 1}"));
  ReadOnceText moved(std::move(short_text));
  EXPECT_EQ(moved.view(), "{\"a\": 1}");
  ReadOnceText assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.view(), "{\"a\": 1}");
  assigned = std::move(text);
  EXPECT_EQ(assigned.view(), expected);
}

}  // namespace
}  // namespace chaosgate
