#pragma once
// A value that lives on the heap once it is written, and reads as its
// defaults until then.

#include <memory>

namespace chaosgate {

// Most of a probe's or an action's parts (its expectation, its tolerance,
// its kind's settings) are left at their defaults, and inline they made a
// probe 560 and an action 464 bytes: most of a loaded suite. Boxed, an unset
// part costs a pointer. Reads through a const object never allocate; a
// mutable access allocates (it is how the decoder writes). Copies are deep.
template <typename T>
class Boxed {
public:
  Boxed() = default;
  Boxed(const Boxed& other) : m_value(other.m_value ? std::make_unique<T>(*other.m_value) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) m_value = other.m_value ? std::make_unique<T>(*other.m_value) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  ~Boxed() = default;

  const T& get() const { return m_value ? *m_value : defaults(); }
  bool held() const { return m_value != nullptr; }
  T& set() {
    if (!m_value) m_value = std::make_unique<T>();
    return *m_value;
  }

  // Equal when both are unset or both hold equal values: an unset part and one
  // written with its defaults are told apart, as a copy keeps them.
  friend bool operator==(const Boxed& a, const Boxed& b) {
    return a.held() == b.held() && (!a.held() || *a.m_value == *b.m_value);
  }

private:
  static const T& defaults() {
    static const T k_defaults{};
    return k_defaults;
  }
  std::unique_ptr<T> m_value;
};

}  // namespace chaosgate
