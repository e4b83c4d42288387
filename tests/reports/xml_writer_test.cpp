#include "xml_writer.h"

#include <tinyxml2.h>

#include <gtest/gtest.h>

#include <deque>
#include <random>

namespace chaosgate {
namespace {

// Runs the same calls on our writer and on tinyxml2's XMLPrinter (which wrote
// junit.xml before) and wants the same bytes; a second writer of ours is
// drained after every call (junit.xml goes out in pieces) and must add up to
// the same document.
struct Both {
  XmlWriter ours;
  tinyxml2::XMLPrinter theirs{nullptr, false};
  std::deque<std::string> names;
  XmlWriter drained;
  std::string pieces;

  void drain() {
    drained.drain([&](std::string_view piece) { pieces += piece; });
  }
  std::string drained_document() {
    drain();
    return pieces;
  }

  void declaration(const std::string& text) {
    ours.declaration(text);
    drained.declaration(text);
    drain();
    theirs.PushDeclaration(text.c_str());
  }
  void open(const std::string& name) {
    ours.open(name);
    drained.open(name);
    drain();
    names.push_back(name);  // XMLPrinter keeps the pointer until CloseElement()
    theirs.OpenElement(names.back().c_str());
  }
  void attribute(const std::string& name, const std::string& value) {
    ours.attribute(name, value);
    drained.attribute(name, value);
    drain();
    theirs.PushAttribute(name.c_str(), value.c_str());
  }
  void number(const std::string& name, std::int64_t value) {
    ours.attribute(name, value);
    drained.attribute(name, value);
    drain();
    theirs.PushAttribute(name.c_str(), static_cast<int64_t>(value));
  }
  void text(const std::string& value) {
    ours.text(value);
    drained.text(value);
    drain();
    theirs.PushText(value.c_str());
  }
  void close() {
    ours.close();
    drained.close();
    drain();
    theirs.CloseElement();
  }
  std::string expected() const { return std::string(theirs.CStr(), static_cast<std::size_t>(theirs.CStrSize() - 1)); }
};

std::string every_character() {
  std::string all;
  for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
  return all;
}

TEST(XmlWriter, WritesWhatTinyxml2Writes) {
  Both xml;
  xml.declaration("xml version=\"1.0\" encoding=\"UTF-8\"");
  xml.open("testsuites");
  xml.attribute("name", "chaosgate \"shop\" <&> 'x'");
  xml.number("tests", 3);
  xml.number("errors", -1);
  xml.open("testsuite");
  xml.open("properties");
  xml.open("property");
  xml.attribute("value", every_character());
  xml.close();
  xml.close();
  xml.open("testcase");
  xml.open("failure");
  xml.attribute("message", "it broke");
  xml.text("line 1\nline \"2\" <b> & 'c'\n" + every_character());
  xml.close();
  xml.open("system-out");
  xml.text("out");
  xml.close();
  xml.close();
  xml.open("testcase");
  xml.close();
  xml.close();
  xml.close();
  EXPECT_EQ(xml.ours.str(), xml.expected());
  EXPECT_EQ(xml.drained_document(), xml.expected());
}

// Text followed by child elements (not written by junit.cpp, but the writer
// must not drift from tinyxml2 where it is), in random shapes.
TEST(XmlWriter, AgreesWithTinyxml2OnRandomDocuments) {
  std::mt19937 random(11);
  for (int round = 0; round < 200; ++round) {
    Both xml;
    if (round % 2 == 0) xml.declaration("xml version=\"1.0\"");
    xml.open("root");
    int depth = 1;
    bool just_opened = true;
    for (int step = 0; step < 40 && depth > 0; ++step) {
      switch (random() % 5) {
        case 0:
          xml.open("e" + std::to_string(random() % 3));
          ++depth;
          just_opened = true;
          break;
        case 1:
          if (just_opened) xml.attribute("a", std::string(1, static_cast<char>(32 + random() % 95)) + "&\"");
          break;
        case 2:
          xml.text("t<" + std::to_string(random() % 100) + ">");
          just_opened = false;
          break;
        default:
          xml.close();
          --depth;
          just_opened = false;
      }
    }
    while (depth-- > 0) xml.close();
    EXPECT_EQ(xml.ours.str(), xml.expected()) << "round " << round;
    EXPECT_EQ(xml.drained_document(), xml.expected()) << "round " << round;
  }
}

}  // namespace
}  // namespace chaosgate
