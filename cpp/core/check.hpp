// Errors are values: every public entry point validates its input and throws one of these.
// The bindings map ValueError -> Python ValueError and TypeError -> Python TypeError.
#pragma once
#include <sstream>
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

}  // namespace axon

#define AXON_CHECK(cond, ...)              \
  do {                                     \
    if (!(cond)) ::axon::fail(__VA_ARGS__); \
  } while (0)
