#include "util/paged_text.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "support/resident_bytes.h"
#include "support/temp_dir.h"
#include "util/sha256.h"

namespace chaosgate {
namespace {

const std::size_t k_page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));

std::string numbered_text(std::size_t size) {
  std::string text(size, ' ');
  for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + i % 26);
  return text;
}

// Where the first whole page inside the text starts, as an offset into it.
std::size_t first_whole_page(const PagedText& text) {
  return (k_page - reinterpret_cast<std::uintptr_t>(text.view().data()) % k_page) % k_page;
}

// Which of `pages` whole pages from `offset` of a text in memory are
// resident, as the kernel tells it.
std::vector<bool> resident_pages(const PagedText& text, std::size_t offset, std::size_t pages) {
  std::vector<unsigned char> flags(pages);
  EXPECT_EQ(::mincore(const_cast<char*>(text.view().data() + offset), pages * k_page, flags.data()), 0);
  std::vector<bool> resident;
  for (const unsigned char flag : flags) resident.push_back(flag & 1);
  return resident;
}

// Reads every byte, as a parser would: the copy's pages come in.
std::uint64_t touch(std::string_view text) {
  std::uint64_t sum = 0;
  for (const char c : text) sum += static_cast<unsigned char>(c);
  return sum;
}

}  // namespace

TEST(PagedText, InMemoryTakesTheTextWithoutACopy) {
  std::string original = numbered_text(3 * k_page + 17);
  const std::string expected = original;
  const char* bytes = original.data();
  const PagedText text(std::move(original));
  EXPECT_FALSE(text.is_copy());
  EXPECT_EQ(text.view().data(), bytes);  // the string's own buffer
  EXPECT_EQ(text.view(), expected);
  EXPECT_EQ(text.sha256(), sha256_hex(expected));
}

TEST(PagedText, InMemoryGivesBackWholePagesOnlyBehindTheLastReading) {
  const std::string expected = numbered_text(10 * k_page + 100);
  PagedText text{std::string(expected)};
  const std::size_t head = first_whole_page(text);  // shared with the heap before it: kept
  EXPECT_EQ(resident_pages(text, head, 8), std::vector<bool>(8, true));

  // A reading that another follows keeps every page: they would read as zeros.
  text.begin_reading(PagedText::Reading::again);
  text.passed(head + 5 * k_page);
  EXPECT_EQ(resident_pages(text, head, 8), std::vector<bool>(8, true));
  EXPECT_EQ(text.view(), expected);

  // The last reading, into the fourth whole page: the three before it go, the fourth stays whole.
  text.begin_reading(PagedText::Reading::last);
  text.passed(head + 3 * k_page + 100);
  EXPECT_EQ(resident_pages(text, head, 8), (std::vector<bool>{false, false, false, true, true, true, true, true}));
  EXPECT_EQ(text.view().substr(0, head), std::string_view(expected).substr(0, head));
  EXPECT_EQ(text.view().substr(head, 3 * k_page), std::string(3 * k_page, '\0')) << "released pages read as zeros";
  EXPECT_EQ(text.view().substr(head + 3 * k_page), std::string_view(expected).substr(head + 3 * k_page));

  text.passed(k_page);  // behind what was released: nothing changes
  EXPECT_EQ(text.view().substr(head + 3 * k_page), std::string_view(expected).substr(head + 3 * k_page));
  text.passed(100 * k_page);  // past the end: every whole page, not the last part-page
  // (The first three were read above as zeros, which maps the kernel's zero page in: not asked again.)
  EXPECT_EQ(resident_pages(text, head + 3 * k_page, 6), std::vector<bool>(6, false));
  const std::size_t tail = head + (expected.size() - head) / k_page * k_page;
  EXPECT_EQ(text.view().substr(tail), std::string_view(expected).substr(tail));
}

TEST(PagedText, MovesCopiesAndHandlesShortAndEmptyTexts) {
  PagedText text{numbered_text(2 * k_page)};
  PagedText moved(std::move(text));
  EXPECT_EQ(moved.size(), 2 * k_page);
  EXPECT_TRUE(text.view().empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  PagedText empty;
  empty.begin_reading(PagedText::Reading::last);
  empty.passed(10);
  EXPECT_TRUE(empty.view().empty());
  empty = std::move(moved);
  EXPECT_EQ(empty.size(), 2 * k_page);
  const PagedText copied(empty);  // NOLINT(performance-unnecessary-copy-initialization): the copy is the test
  EXPECT_EQ(copied.view(), empty.view());
  EXPECT_NE(copied.view().data(), empty.view().data());

  // A short text lives inside its string: a move must follow it there, and there is no page to give back.
  PagedText short_text{"{\"a\": 1}"};
  short_text.begin_reading(PagedText::Reading::last);
  short_text.passed(8);
  PagedText assigned;
  assigned = std::move(short_text);
  EXPECT_EQ(assigned.view(), "{\"a\": 1}");
}

TEST(PagedText, ACopyIsMappedHashedAndKeepsTheBytesItWasMadeOf) {
  const test::TempDir dir;
  const std::string expected = numbered_text(64 * k_page + 123);
  const auto path = dir.write("suite.json", expected).string();
  PagedFile file = read_file_paged(path, expected.size(), dir.str());
  ASSERT_TRUE(file) << file.reason;
  EXPECT_TRUE(file.text.is_copy());
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(file.text.view().data()) % k_page, 0u);  // a mapping of its own
  EXPECT_EQ(file.text.view(), expected);
  EXPECT_EQ(file.text.sha256(), sha256_hex(expected));
  // The source changed (or cut short) after it was read and hashed: what is
  // read is still what was hashed, and nothing raises SIGBUS.
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "{}";
  EXPECT_EQ(file.text.view(), expected);

  // Each reading gives back what it passed, and a reading again finds the bytes, not zeros.
  PagedText& text = file.text;
  text.begin_reading(PagedText::Reading::again);
  EXPECT_EQ(touch(text.view()), touch(expected));
  EXPECT_GE(test::mapping_resident_bytes(text.view().data()), static_cast<long long>(60 * k_page));
  text.passed(48 * k_page + 5);
  EXPECT_LE(test::mapping_resident_bytes(text.view().data()), static_cast<long long>(17 * k_page));
  text.passed(text.size());
  EXPECT_LE(test::mapping_resident_bytes(text.view().data()), static_cast<long long>(k_page));
  text.begin_reading(PagedText::Reading::again);
  EXPECT_EQ(text.view(), expected);
  text.passed(text.size());
  EXPECT_LE(test::mapping_resident_bytes(text.view().data()), static_cast<long long>(k_page));

  const PagedText moved(std::move(text));
  EXPECT_TRUE(moved.is_copy());
  EXPECT_EQ(moved.view(), expected);
  EXPECT_EQ(moved.sha256(), sha256_hex(expected));
}

// A reading byte by byte, told at each 64 KiB as nlohmann's parser tells it:
// the copy's resident pages stay a few steps' worth however far it goes. (A
// fault maps the cached pages around it, in a window aligned in the address
// space, so behind the reading too where the mapping is not aligned alike:
// releasing only what the last release had not covered let them pile up.)
// Four copies, mapped side by side: not all of them aligned by chance.
TEST(PagedText, AReadingOfACopyHoldsOnlyTheStepsAroundIt) {
  const test::TempDir dir;
  const std::string expected = numbered_text((1 << 20) + 12345);  // under 2 MiB: a mapping not aligned to it
  std::vector<PagedFile> copies;
  for (int i = 0; i < 4; ++i) {
    copies.push_back(read_file_paged(dir.write("suite.json", expected).string(), expected.size(), dir.str()));
    ASSERT_TRUE(copies.back() && copies.back().text.is_copy());
  }
  for (PagedFile& file : copies) {
    PagedText& text = file.text;
    text.begin_reading(PagedText::Reading::again);
    const std::string_view view = text.view();
    long long most = 0;
    std::uint64_t sum = 0;
    for (std::size_t at = 0; at < view.size(); ++at) {
      sum += static_cast<unsigned char>(view[at]);
      if ((at + 1) % (64 * 1024) == 0) {
        text.passed(at + 1);
        most = std::max(most, test::mapping_resident_bytes(view.data()));
      }
    }
    EXPECT_EQ(sum, touch(expected));
    EXPECT_LE(most, 256 * 1024) << "resident at most, of a 1 MiB copy read through, mapped at "
                                << static_cast<const void*>(view.data());
  }
}

TEST(PagedText, WithoutACopyTheSameBytesAreReadIntoMemory) {
  const test::TempDir dir;
  const std::string expected = numbered_text(100 * 1024);
  const auto path = dir.write("suite.json", expected).string();
  for (const std::string& copy_dir : {std::string(), dir.str() + "/no-such-directory"}) {
    const PagedFile file = read_file_paged(path, expected.size(), copy_dir);
    ASSERT_TRUE(file) << file.reason;
    EXPECT_FALSE(file.text.is_copy()) << copy_dir;
    EXPECT_EQ(file.text.view(), expected);
    EXPECT_EQ(file.text.sha256(), sha256_hex(expected));
  }
  EXPECT_TRUE(read_file_paged(path, expected.size(), dir.str()).text.is_copy());
  // Under a step of 64 KiB there is nothing to give back: not worth a copy.
  const std::string small = numbered_text(64 * 1024 - 1);
  const PagedFile small_file = read_file_paged(dir.write("small.json", small).string(), small.size(), dir.str());
  EXPECT_FALSE(small_file.text.is_copy());
  EXPECT_EQ(small_file.text.view(), small);
  const PagedFile empty = read_file_paged(dir.write("empty.json", "").string(), 10, dir.str());
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty.text.view().empty());
  EXPECT_EQ(empty.text.sha256(), sha256_hex(""));

  EXPECT_EQ(read_file_paged(path, expected.size() - 1, dir.str()).status, FileText::Status::too_large);
  EXPECT_EQ(read_file_paged(dir.str() + "/missing.json", 100, dir.str()).status, FileText::Status::missing);
  EXPECT_EQ(read_file_paged(dir.str(), 100, dir.str()).status, FileText::Status::unreadable);
}

// The copy cannot be written whole (a disk that fills up, here a file size
// limit, the process's: in a child): the file is read into memory instead,
// byte for byte. Exits 0 when it was.
[[noreturn]] void read_past_a_file_size_limit(const std::string& path, const std::string& expected, const std::string& dir) {
  std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
  const rlimit limit{16 * k_page, 16 * k_page};
  ::setrlimit(RLIMIT_FSIZE, &limit);
  const PagedFile file = read_file_paged(path, expected.size(), dir);
  std::exit(file && !file.text.is_copy() && file.text.view() == expected && file.text.sha256() == sha256_hex(expected) ? 0 : 1);
}

TEST(PagedText, ACopyThatCannotBeWrittenFallsBackToMemory) {
  const test::TempDir dir;
  const std::string expected = numbered_text(40 * k_page);
  const auto path = dir.write("suite.json", expected).string();
  EXPECT_EXIT(read_past_a_file_size_limit(path, expected, dir.str()), ::testing::ExitedWithCode(0), "");
}

}  // namespace chaosgate
