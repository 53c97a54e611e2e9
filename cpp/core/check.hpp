// Errors are values: every public entry point validates its input and throws one of these.
// The bindings map ValueError -> Python ValueError and TypeError -> Python TypeError.
#pragma once
#include <sstream>
#include <new>
#include <stdexcept>
#include <string>

namespace axon {

struct ValueError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};
struct TypeError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Builds a message from any streamable pieces: fail("Dense 'dense': expected ", a, ", got ", b)
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::ostringstream o;
  (o << ... << parts);
  return o.str();
}

template <class... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  throw ValueError(cat(parts...));
}

// An allocation that cannot succeed, with a message naming what asked for it. It is a
// std::bad_alloc so pybind11 raises MemoryError with this text (and callers that catch
// bad_alloc still do).
struct OutOfMemory : std::bad_alloc {
  explicit OutOfMemory(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

// "16 TB", "512 MB": byte counts in messages (decimal units, as `df -H` and Keras print).
inline std::string human_bytes(double bytes) {
  const char* const units[] = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  int u = 0;
  while (bytes >= 1000 && u < 8) bytes /= 1000, ++u;
  std::ostringstream o;
  o.precision(bytes < 10 && u ? 2 : 3);
  o << bytes << " " << units[u];
  return o.str();
}

}  // namespace axon

#define AXON_CHECK(cond, ...)              \
  do {                                     \
    if (!(cond)) ::axon::fail(__VA_ARGS__); \
  } while (0)
