#pragma once
// Reading a JSON document from the parser's SAX events into typed records,
// without a DOM for them: one node per open container, records kept as
// member slots and decoded on close (model/run_result_decode.h), arrays of
// records read aside. reports/journal_records.cpp builds the journal's
// records from these; nothing else includes this.
#include <array>
#include <cstddef>
#include <exception>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/run_result_decode.h"

namespace chaosgate::journal_events {

using nlohmann::json;

// The reader of one open JSON container. The driver hands every event to the
// node of the innermost container; opening a container asks that node which
// node reads the new one.
class EventNode {
public:
  virtual void key(std::string& name) = 0;
  virtual void scalar(json&& value) = 0;
  // Copied to its size, not moved: the reader's one buffer for every string
  // and key stays with it for the next, and a string kept in a record does
  // not carry a buffer grown for a longer one (~90 bytes a spooled record
  // read back at the end of a run).
  virtual void string(std::string& value) { scalar(json(std::string(value))); }
  virtual EventNode& open(json::value_t type) = 0;
  virtual void close() = 0;  // the container this node was reading closed

protected:
  ~EventNode() = default;
};

// Builds a JSON value (a container) in place: the small members of records
// (tags, risk, location...), anything of an unexpected type, the header.
class DomNode : public EventNode {
public:
  virtual ~DomNode() = default;
  void begin(json::value_t type, json& into) {
    into = json(type);
    m_stack.assign(1, &into);
  }
  void key(std::string& name) override { m_key = std::move(name); }
  void scalar(json&& value) override { place(std::move(value)); }
  EventNode& open(json::value_t type) override {
    if (EventNode* other = divert(type)) return *other;
    m_stack.push_back(place(json(type)));
    return *this;
  }
  void close() override { m_stack.pop_back(); }

protected:
  virtual EventNode* divert(json::value_t) { return nullptr; }
  // A later member of the same name replaces an earlier one, as in nlohmann's DOM.
  json* place(json&& value) {
    json& parent = *m_stack.back();
    if (parent.is_object()) return &(parent[m_key] = std::move(value));
    parent.push_back(std::move(value));
    return &parent.back();
  }
  std::vector<json*> m_stack;
  std::string m_key;
};

// Where a record goes once decoded, or why it could not be.
template <typename T>
class Sink {
public:
  virtual void take(T&& value) = 0;
  virtual void fail(std::exception_ptr error) = 0;

protected:
  ~Sink() = default;
};

// A record array read aside; its first error is kept for the moment the
// enclosing record's decoding reaches the array, so errors surface in the
// order from_json would meet them.
template <typename T>
struct ReadAside {
  bool read = false;
  std::vector<T> items;
  std::exception_ptr error;
  void reset() {
    read = false;
    items.clear();
    error = nullptr;
  }
};

[[noreturn]] inline void missing(const char* key) {  // what json::at throws
  throw json::out_of_range::create(403, std::string("key '") + key + "' not found", static_cast<const json*>(nullptr));
}

// One JSON object of a known record type: its members are kept in slots (a
// nested record array goes to a ReadAside instead), then decoded on close.
// The slots are the decoding's source (see run_result_decode.h).
template <typename T, std::size_t N>
class RecordNode : public EventNode {
public:
  explicit RecordNode(const std::array<std::string_view, N>& names) : m_names(names) {}
  virtual ~RecordNode() = default;

  void begin(Sink<T>& sink) {
    m_sink = &sink;
    m_field = -1;
    m_present.fill(false);
    forget_all();
  }
  void key(std::string& name) override {
    m_field = index(name);
    if (m_field >= 0) {
      m_present[static_cast<std::size_t>(m_field)] = false;
      forget(m_field);
    }
  }
  void scalar(json&& value) override {
    if (m_field < 0) return;
    m_slots[static_cast<std::size_t>(m_field)] = std::move(value);
    m_present[static_cast<std::size_t>(m_field)] = true;
  }
  EventNode& open(json::value_t type) override {
    if (m_field < 0) {
      m_dom.begin(type, m_ignored);
      return m_dom;
    }
    if (EventNode* nested = open_nested(m_field, type)) return *nested;
    m_present[static_cast<std::size_t>(m_field)] = true;
    m_dom.begin(type, m_slots[static_cast<std::size_t>(m_field)]);
    return m_dom;
  }
  void close() override {
    T value;
    try {
      decode(value);
    } catch (...) {
      m_sink->fail(std::current_exception());
      return;
    }
    m_sink->take(std::move(value));
  }

  // --- the decoding's source ---
  json* find(const char* key) {
    const int i = index(key);
    return i >= 0 && m_present[static_cast<std::size_t>(i)] ? &m_slots[static_cast<std::size_t>(i)] : nullptr;
  }
  json& at(const char* key) {
    if (json* value = find(key)) return *value;
    missing(key);
  }

protected:
  // The node for a container opening as member `field`, when it is a record
  // read aside; nullptr: kept in the slot.
  virtual EventNode* open_nested(int /*field*/, json::value_t /*type*/) { return nullptr; }
  virtual void forget(int /*field*/) {}  // the member appears again: drop what was read aside for it
  virtual void forget_all() {}
  virtual void decode(T& out) = 0;

  // The array `key`, read aside or (any other type) from its slot.
  template <typename Item>
  void take_list(ReadAside<Item>& aside, const char* key, std::vector<Item>& out) {
    if (!aside.read) return decode::optional(*this, key, out);
    if (aside.error) std::rethrow_exception(aside.error);
    // Exactly sized; the aside vector keeps its capacity for the next record.
    out.assign(std::make_move_iterator(aside.items.begin()), std::make_move_iterator(aside.items.end()));
  }

private:
  // Members come in the writer's (alphabetical) order and are looked up in
  // decoding order: searching on from the last hit finds most at once.
  int index(std::string_view name) {
    for (std::size_t k = 0; k < N; ++k) {
      const std::size_t i = (m_hint + k) % N;
      if (m_names[i] == name) {
        m_hint = i + 1;
        return static_cast<int>(i);
      }
    }
    return -1;
  }

  const std::array<std::string_view, N>& m_names;
  std::array<json, N> m_slots;
  std::array<bool, N> m_present{};
  std::size_t m_hint = 0;
  int m_field = -1;
  Sink<T>* m_sink = nullptr;
  DomNode m_dom;
  json m_ignored;  // members no record has
};

// An array of records; an element that is not an object fails as from_json
// fails on it.
template <typename T, typename Element>
class ListNode final : public EventNode, public Sink<T> {
public:
  void begin(ReadAside<T>& into) {
    into.reset();
    into.read = true;
    m_into = &into;
  }
  Element& element() { return m_element; }  // the reader of each element, to set it up
  void key(std::string&) override {}
  void scalar(json&& value) override { not_an_object(value); }
  EventNode& open(json::value_t type) override {
    if (type == json::value_t::object) {
      m_element.begin(*this);
      return m_element;
    }
    not_an_object(json(type));
    m_dom.begin(type, m_ignored);
    return m_dom;
  }
  void close() override {}
  void take(T&& value) override {
    if (!m_into->error) m_into->items.push_back(std::move(value));
  }
  void fail(std::exception_ptr error) override {
    if (!m_into->error) m_into->error = std::move(error);
  }

private:
  void not_an_object(const json& value) {
    try {
      take(value.get<T>());
    } catch (...) {
      fail(std::current_exception());
    }
  }

  ReadAside<T>* m_into = nullptr;
  Element m_element;
  DomNode m_dom;
  json m_ignored;
};

}  // namespace chaosgate::journal_events
