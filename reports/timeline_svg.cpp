#include "timeline_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include "html_text.h"

namespace chaosgate {

namespace {

constexpr double k_width = 760;
constexpr double k_plot_left = 230;
constexpr double k_plot_right = 748;
constexpr double k_top = 6;
constexpr double k_row_height = 34;
constexpr double k_axis_height = 22;

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

// Every time is taken as milliseconds since the attempt started, a double:
// a journal may hold any times and durations, and TimePoint arithmetic on
// them (start + duration in nanoseconds) could overflow.
double ms_since(TimePoint reference, TimePoint at) { return static_cast<double>(milliseconds_between(reference, at).count()); }

class TimeAxis {
public:
  TimeAxis(TimePoint reference, double from_ms, double to_ms)
      : m_reference(reference), m_from_ms(from_ms), m_span_ms(std::max(to_ms - from_ms, 1.0)) {}
  double ms(TimePoint at) const { return ms_since(m_reference, at); }
  double x_of_ms(double ms) const {
    const double fraction = std::clamp((ms - m_from_ms) / m_span_ms, 0.0, 1.0);
    return k_plot_left + fraction * (k_plot_right - k_plot_left);
  }
  double x(TimePoint at) const { return x_of_ms(ms(at)); }
  double span_ms() const { return m_span_ms; }

private:
  TimePoint m_reference;
  double m_from_ms;
  double m_span_ms;
};

double length_ms(std::chrono::milliseconds duration) { return static_cast<double>(std::max<long long>(duration.count(), 0)); }

struct Window {
  double from_ms, to_ms;
};

// From the method's first action to the end of the last action or rollback.
std::optional<Window> fault_window(const Attempt& attempt, const TimeAxis& axis) {
  std::optional<Window> window;
  for (const auto& action : attempt.actions) {
    const double start = axis.ms(action.started), end = start + length_ms(action.duration);
    if (!window) {
      if (action.rollback) continue;
      window = Window{start, end};
    }
    window->from_ms = std::min(window->from_ms, start);
    window->to_ms = std::max(window->to_ms, end);
  }
  return window;
}

// The span every row shares: the attempt, and whatever of it lies outside.
TimeAxis time_axis(const Attempt& attempt) {
  const auto ms = [&](TimePoint at) { return ms_since(attempt.started, at); };
  double from = 0, to = length_ms(attempt.duration);
  for (const auto& probe : attempt.probes) {
    const double start = ms(probe.started);
    from = std::min(from, start);
    to = std::max(to, start + length_ms(probe.duration));
    for (const auto& sample : probe.samples) from = std::min(from, ms(sample.at)), to = std::max(to, ms(sample.at));
  }
  for (const auto& action : attempt.actions) {
    const double start = ms(action.started);
    from = std::min(from, start);
    to = std::max(to, start + length_ms(action.duration));
  }
  return TimeAxis(attempt.started, from, to);
}

void append_row(std::string& out, const ProbeResult& probe, const TimeAxis& axis, double top, std::size_t max_points) {
  const double band_top = top + 4, band_bottom = top + k_row_height - 6;
  out += "<g class=\"row\"><title>" + html_text(probe.probe + " (" + enum_name(probe.phase) + "): " +
                                                (probe.ok ? "ok, " : "DEVIATED, ") + probe.observed +
                                                (probe.expected.empty() ? "" : "; expected " + probe.expected)) +
         "</title>";
  out += "<text x=\"4\" y=\"" + number(top + 14) + "\">" + html_text(probe.probe, 40) + "</text>";
  out += "<text class=\"note\" x=\"4\" y=\"" + number(top + 27) + "\">" + enum_name(probe.phase) +
         (probe.ok ? ", ok" : ", deviated") + "</text>";
  out += "<line class=\"axis\" x1=\"" + number(k_plot_left) + "\" y1=\"" + number(band_bottom) + "\" x2=\"" +
         number(k_plot_right) + "\" y2=\"" + number(band_bottom) + "\"/>";

  if (probe.samples.empty()) {  // judged without a sample (it could not run): one mark where it started
    out += "<circle class=\"" + std::string(probe.ok ? "good" : "bad") + "\" cx=\"" + number(axis.x(probe.started)) +
           "\" cy=\"" + number((band_top + band_bottom) / 2) + "\" r=\"3\"/></g>";
    return;
  }
  // A sample without a finite value (a journal may hold any number) is drawn as unanswered.
  const auto drawn = [](const ProbeSample& sample) { return sample.reached && std::isfinite(sample.value); };
  double low = 0, high = 0;
  for (const auto& sample : probe.samples)
    if (drawn(sample)) low = std::min(low, sample.value), high = std::max(high, sample.value);
  if (high <= low) high = low + 1;
  const auto y = [&](double value) {
    const double fraction = (value - low) / (high - low);  // not finite when high - low overflows
    return band_bottom - (std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0) * (band_bottom - band_top);
  };
  char top_value[32];
  std::snprintf(top_value, sizeof top_value, "%.6g", high);
  out += "<text class=\"note\" x=\"" + number(k_plot_left - 4) + "\" y=\"" + number(band_top + 8) +
         "\" text-anchor=\"end\">" + top_value + "</text>";

  const std::size_t count = probe.samples.size();
  const std::size_t stride = count > max_points ? (count + max_points - 1) / max_points : 1;
  if (count > 1) {
    out += "<polyline class=\"series\" points=\"";
    bool first = true;
    for (std::size_t i = 0; i < count; ++i) {
      if (i % stride != 0 && i + 1 != count) continue;
      const auto& sample = probe.samples[i];
      if (!drawn(sample)) continue;  // no value to draw: a ring marks it below when it failed
      if (!first) out += ' ';
      first = false;
      out += number(axis.x(sample.at)) + "," + number(y(sample.value));
    }
    out += "\"/>";
  }
  std::size_t marked = 0;
  for (const auto& sample : probe.samples) {
    if (count > 1 && sample.ok) continue;
    if (marked++ == max_points) break;
    // Of a sampled probe only the failures are marked; a one-shot probe's sample always is.
    const char* kind = sample.ok ? "good" : drawn(sample) ? "bad" : "miss";
    out += std::string("<circle class=\"") + kind + "\" cx=\"" + number(axis.x(sample.at)) + "\" cy=\"" +
           number(drawn(sample) ? y(sample.value) : band_bottom) + "\" r=\"" + (count > 1 ? "2" : "3") + "\"/>";
  }
  out += "</g>";
}

void append_axis(std::string& out, const TimeAxis& axis, double top) {
  out += "<line class=\"axis\" x1=\"" + number(k_plot_left) + "\" y1=\"" + number(top) + "\" x2=\"" + number(k_plot_right) +
         "\" y2=\"" + number(top) + "\"/>";
  for (int tick = 0; tick <= 4; ++tick) {
    const double x = k_plot_left + tick * (k_plot_right - k_plot_left) / 4;
    out += "<text class=\"note\" x=\"" + number(x) + "\" y=\"" + number(top + 14) + "\" text-anchor=\"" +
           (tick == 0 ? "start" : tick == 4 ? "end" : "middle") + "\">" + number(axis.span_ms() * tick / 4 / 1000) +
           "s</text>";
  }
}

}  // namespace

void append_timeline_svg(std::string& out, const Attempt& attempt, std::size_t max_points) {
  max_points = std::max<std::size_t>(max_points, 2);
  const TimeAxis axis = time_axis(attempt);
  std::vector<const ProbeResult*> rows;
  for (const auto& probe : attempt.probes) rows.push_back(&probe);
  std::stable_sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) { return a->started < b->started; });

  const double height = k_top + rows.size() * k_row_height + k_axis_height;
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"" + number(k_width) + "\" height=\"" +
         number(height) + "\" viewBox=\"0 0 " + number(k_width) + " " + number(height) + "\" role=\"img\">";
  out += "<title>attempt " + std::to_string(attempt.number) + ": " + enum_name(attempt.verdict) + "</title>";
  if (const auto window = fault_window(attempt, axis)) {
    const double from = axis.x_of_ms(window->from_ms), to = axis.x_of_ms(window->to_ms);
    out += "<rect class=\"fault\" x=\"" + number(from) + "\" y=\"" + number(k_top) + "\" width=\"" +
           number(std::max(to - from, 1.0)) + "\" height=\"" + number(rows.size() * k_row_height) +
           "\"><title>fault window (method and rollbacks): " +
           number((window->to_ms - window->from_ms) / 1000) + "s</title></rect>";
  }
  for (std::size_t i = 0; i < rows.size(); ++i) append_row(out, *rows[i], axis, k_top + i * k_row_height, max_points);
  append_axis(out, axis, k_top + rows.size() * k_row_height);
  out += "</svg>";
}

}  // namespace chaosgate
