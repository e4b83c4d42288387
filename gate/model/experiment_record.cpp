#include "model/experiment_record.h"

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace chaosgate {

namespace {

constexpr std::uint8_t k_record_version = 1;

// A field added to one of these and left out of its list below would be lost
// on the way through the spool without a word; the sizes make the build say
// so first (x86-64, libstdc++: the machines this is built for).
#if defined(__x86_64__) && defined(__GLIBCXX__) && !defined(_GLIBCXX_DEBUG)
static_assert(sizeof(Experiment) == 496, "a field of Experiment changed: list it in experiment_record.cpp");
static_assert(sizeof(Probe) == 112, "a field of Probe changed: list it in experiment_record.cpp");
static_assert(sizeof(Action) == 128, "a field of Action changed: list it in experiment_record.cpp");
static_assert(sizeof(Expectation) == 200, "a field of Expectation changed: list it in experiment_record.cpp");
static_assert(sizeof(JsonExpectation) == 96, "a field of JsonExpectation changed: list it in experiment_record.cpp");
static_assert(sizeof(Tolerance) == 120, "a field of Tolerance changed: list it in experiment_record.cpp");
static_assert(sizeof(Comparison) == 24, "a field of Comparison changed: list it in experiment_record.cpp");
static_assert(sizeof(HttpRequestSpec) == 152, "a field of HttpRequestSpec changed: list it in experiment_record.cpp");
static_assert(sizeof(TcpSpec) == 48, "a field of TcpSpec changed: list it in experiment_record.cpp");
static_assert(sizeof(CommandSpec) == 88, "a field of CommandSpec changed: list it in experiment_record.cpp");
static_assert(sizeof(PrometheusSpec) == 72, "a field of PrometheusSpec changed: list it in experiment_record.cpp");
static_assert(sizeof(SignalSpec) == 64, "a field of SignalSpec changed: list it in experiment_record.cpp");
static_assert(sizeof(NetworkSpec) == 136, "a field of NetworkSpec changed: list it in experiment_record.cpp");
static_assert(sizeof(Risk) == 8, "a field of Risk changed: list it in experiment_record.cpp");
static_assert(sizeof(FollowUpTask) == 64, "a field of FollowUpTask changed: list it in experiment_record.cpp");
static_assert(sizeof(SourceLocation) == 24, "a field of SourceLocation changed: list it in experiment_record.cpp");
static_assert(sizeof(FieldPlace) == 12, "a field of FieldPlace changed: list it in experiment_record.cpp");
#endif

template <typename T, typename Model>
constexpr bool is = std::is_same_v<std::remove_const_t<T>, Model>;

template <typename T>
constexpr bool is_plain = std::is_arithmetic_v<T> || std::is_enum_v<T>;

// Each enum's last value: one read back past it is refused, since a switch
// over an action's kind that matched nothing would skip what it stands for.
constexpr CompareOp last_of(CompareOp) { return CompareOp::not_equal; }
constexpr ProbeKind last_of(ProbeKind) { return ProbeKind::prometheus; }
constexpr ActionKind last_of(ActionKind) { return ActionKind::network; }
constexpr AttackGroup last_of(AttackGroup) { return AttackGroup::dependency; }
constexpr PreparationCost last_of(PreparationCost) { return PreparationCost::high; }
constexpr LifecycleStatus last_of(LifecycleStatus) { return LifecycleStatus::retired; }
constexpr LocatedField last_of(LocatedField) { return LocatedField::status; }

// Each aggregate's fields, listed once for the writer (T const) and the
// reader alike: what is written is what is read, in the same order.
template <typename Io, typename T>
  requires is<T, Comparison>
void fields(Io& io, T& x) { io(x.op, x.value, x.is_duration); }

template <typename Io, typename T>
  requires is<T, SourceLocation>
void fields(Io& io, T& x) { io(x.file, x.line, x.column); }

template <typename Io, typename T>
  requires is<T, JsonExpectation>
void fields(Io& io, T& x) { io(x.pointer, x.equals, x.compare); }

template <typename Io, typename T>
  requires is<T, Expectation>
void fields(Io& io, T& x) {
  io(x.status_codes, x.status_range, x.body_contains, x.body_regex, x.json, x.latency, x.exit_code, x.value);
}

template <typename Io, typename T>
  requires is<T, Tolerance>
void fields(Io& io, T& x) { io(x.success_ratio, x.latency_p50, x.latency_p95, x.latency_p99); }

template <typename Io, typename T>
  requires is<T, HttpRequestSpec>
void fields(Io& io, T& x) { io(x.method, x.url, x.headers, x.body, x.timeout); }

template <typename Io, typename T>
  requires is<T, TcpSpec>
void fields(Io& io, T& x) { io(x.host, x.port, x.timeout); }

template <typename Io, typename T>
  requires is<T, CommandSpec>
void fields(Io& io, T& x) { io(x.argv, x.shell, x.env, x.timeout); }

template <typename Io, typename T>
  requires is<T, PrometheusSpec>
void fields(Io& io, T& x) { io(x.url, x.query, x.timeout); }

template <typename Io, typename T>
  requires is<T, SignalSpec>
void fields(Io& io, T& x) { io(x.pid_file, x.signal); }

template <typename Io, typename T>
  requires is<T, NetworkSpec>
void fields(Io& io, T& x) { io(x.api, x.proxy, x.toxic_name, x.toxic_json, x.remove, x.reset, x.reset_on_interrupt); }

template <typename Io, typename T>
  requires is<T, Risk>
void fields(Io& io, T& x) { io(x.likelihood, x.impact); }

template <typename Io, typename T>
  requires is<T, FollowUpTask>
void fields(Io& io, T& x) { io(x.title, x.description); }

template <typename Io, typename T>
  requires is<T, FieldPlace>
void fields(Io& io, T& x) { io(x.field, x.line, x.column); }

template <typename Io, typename T>
  requires is<T, Experiment>
void fields(Io& io, T& x) {
  io(x.id, x.title, x.owner, x.service, x.targets, x.hypothesis, x.incident_category, x.attack_group,
     x.preparation_cost, x.risk, x.status, x.tags, x.always, x.allow_production, x.timeout, x.recovery_time,
     x.retries, x.steady_state, x.observe, x.method, x.rollbacks, x.stop_conditions, x.follow_up, x.location,
     x.field_locations);
}

}  // namespace

class ExperimentRecord::Writer {
public:
  explicit Writer(std::string& out) : m_out(out) {}

  template <typename... T>
  void operator()(const T&... values) { (put(values), ...); }

  template <typename T>
    requires is_plain<T>
  void put(T value) { raw(&value, sizeof value); }
  void put(const std::string& text) {
    size(text.size());
    raw(text.data(), text.size());
  }
  void put(Millis duration) { put(static_cast<std::int64_t>(duration.count())); }
  template <typename T>
  void put(const std::optional<T>& value) {
    put(value.has_value());
    if (value) put(*value);
  }
  template <typename T>
  void put(const std::vector<T>& items) {
    size(items.size());
    for (const auto& item : items) put(item);
  }
  void put(const std::map<std::string, std::string>& entries) {
    size(entries.size());
    for (const auto& [key, value] : entries) (*this)(key, value);
  }
  template <typename A, typename B>
  void put(const std::pair<A, B>& pair) { (*this)(pair.first, pair.second); }
  template <typename T>
  void put(const Boxed<T>& part) {
    put(part.held());
    if (part.held()) put(part.get());
  }
  template <typename... Specs>
  void put(const KindSpec<Specs...>& spec) {
    put(static_cast<std::uint8_t>(spec.m_spec.index()));
    std::visit(
        [&](const auto& held) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(held)>, std::monostate>) put(held.get());
        },
        spec.m_spec);
  }
  // A file's name once per record, then its number: every location of an
  // experiment names the same file.
  void put(const FileName& file) {
    for (std::size_t i = 0; i < m_files.size(); ++i)
      if (m_files[i] == file) return size(i);
    size(m_files.size());
    put(file.str());
    m_files.push_back(file);
  }
  void put(const FieldLocations& locations) {
    put(locations.file());
    size(locations.places().size());
    for (const auto& place : locations.places()) put(place);
  }
  void put(const Probe& probe) {
    (*this)(probe.name, probe.kind, probe.every, probe.location, probe.m_expect, probe.m_tolerance, probe.m_spec);
  }
  void put(const Action& action) {
    (*this)(action.name, action.kind, action.pause, action.fault, action.rollback, action.location, action.m_expect,
            action.m_spec);
  }
  template <typename T>
    requires std::is_class_v<T>
  void put(const T& aggregate) { fields(*this, aggregate); }

private:
  void raw(const void* bytes, std::size_t count) { m_out.append(static_cast<const char*>(bytes), count); }
  void size(std::size_t count) { put(static_cast<std::uint32_t>(count)); }

  std::string& m_out;
  std::vector<FileName> m_files;
};

class ExperimentRecord::Reader {
public:
  explicit Reader(std::string_view in) : m_in(in) {}

  template <typename... T>
  void operator()(T&... values) { (get(values), ...); }

  template <typename T>
    requires std::is_arithmetic_v<T>
  void get(T& value) { raw(&value, sizeof value); }
  template <typename E>
    requires std::is_enum_v<E>
  void get(E& value) {
    std::underlying_type_t<E> number{};
    raw(&number, sizeof number);
    const auto wide = static_cast<long long>(number);
    if (wide < 0 || wide > static_cast<long long>(last_of(E{})))
      throw RecordError("experiment record: an enumeration holds " + std::to_string(wide));
    value = static_cast<E>(number);
  }
  void get(bool& value) {
    std::uint8_t byte = 0;
    raw(&byte, 1);
    if (byte > 1) throw RecordError("experiment record: a flag holds " + std::to_string(byte));
    value = byte == 1;
  }
  void get(std::string& text) {
    const std::size_t length = size(1);
    text.assign(m_in.substr(m_at, length));
    m_at += length;
  }
  void get(Millis& duration) {
    std::int64_t count = 0;
    get(count);
    duration = Millis(count);
  }
  template <typename T>
  void get(std::optional<T>& value) {
    bool held = false;
    get(held);
    value.reset();
    if (held) get(value.emplace());
  }
  template <typename T>
  void get(std::vector<T>& items) {
    const std::size_t count = size(1);
    items.clear();
    items.reserve(count);
    for (std::size_t i = 0; i < count; ++i) get(items.emplace_back());
  }
  void get(std::map<std::string, std::string>& entries) {
    const std::size_t count = size(2 * sizeof(std::uint32_t));
    entries.clear();
    for (std::size_t i = 0; i < count; ++i) {
      std::string key;
      std::string value;
      (*this)(key, value);
      entries.insert_or_assign(std::move(key), std::move(value));
    }
  }
  template <typename A, typename B>
  void get(std::pair<A, B>& pair) { (*this)(pair.first, pair.second); }
  template <typename T>
  void get(Boxed<T>& part) {
    bool held = false;
    get(held);
    part = Boxed<T>();
    if (held) get(part.set());
  }
  template <typename... Specs>
  void get(KindSpec<Specs...>& spec) {
    std::uint8_t index = 0;
    get(index);
    if (index > sizeof...(Specs)) throw RecordError("experiment record: no kind numbered " + std::to_string(index));
    spec.m_spec = std::monostate();
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((index == I + 1 ? get(spec.m_spec.template emplace<I + 1>().set()) : void()), ...);
    }(std::index_sequence_for<Specs...>());
  }
  void get(FileName& file) {
    const std::size_t number = size(0);
    if (number < m_files.size()) {
      file = m_files[number];
      return;
    }
    if (number > m_files.size()) throw RecordError("experiment record: file number " + std::to_string(number) + " before it was named");
    std::string name;
    get(name);
    file = FileName(std::move(name));
    m_files.push_back(file);
  }
  void get(FieldLocations& locations) {
    FileName file;
    std::vector<FieldPlace> places;
    (*this)(file, places);
    locations.assign(std::move(file), places);
  }
  void get(Probe& probe) {
    (*this)(probe.name, probe.kind, probe.every, probe.location, probe.m_expect, probe.m_tolerance, probe.m_spec);
  }
  void get(Action& action) {
    (*this)(action.name, action.kind, action.pause, action.fault, action.rollback, action.location, action.m_expect,
            action.m_spec);
  }
  template <typename T>
    requires std::is_class_v<T>
  void get(T& aggregate) { fields(*this, aggregate); }

  bool at_end() const { return m_at == m_in.size(); }

private:
  void raw(void* bytes, std::size_t count) {
    if (m_in.size() - m_at < count) throw RecordError("experiment record: cut short");
    std::memcpy(bytes, m_in.data() + m_at, count);
    m_at += count;
  }
  // A count of items of at least `item_bytes` each: one that more bytes than
  // are left could not hold is refused before anything is allocated for it.
  std::size_t size(std::size_t item_bytes) {
    std::uint32_t count = 0;
    get(count);
    if (item_bytes > 0 && count > (m_in.size() - m_at) / item_bytes) throw RecordError("experiment record: cut short");
    return count;
  }

  std::string_view m_in;
  std::size_t m_at = 0;
  std::vector<FileName> m_files;
};

void ExperimentRecord::write(const Experiment& experiment, std::string& out) {
  Writer writer(out);
  writer.put(k_record_version);
  writer.put(experiment);
}

Experiment ExperimentRecord::read(std::string_view record) {
  Reader reader(record);
  std::uint8_t version = 0;
  reader.get(version);
  if (version != k_record_version)
    throw RecordError("experiment record: version " + std::to_string(version) + ", this build reads " +
                      std::to_string(k_record_version));
  Experiment experiment;
  reader.get(experiment);
  if (!reader.at_end()) throw RecordError("experiment record: bytes left after the experiment");
  return experiment;
}

}  // namespace chaosgate
