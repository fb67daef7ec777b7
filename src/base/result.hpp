// Result<T, E>: a value or an error, stork's one error policy.
//
// Domain code returns errors as values: every fallible function in config/, work/, pipeline/
// and git/ returns a Result whose error type carries the facts (ids, paths, line numbers) as
// fields. Exceptions are used only at the edges: third-party parsers throw, and the adapter
// that calls them converts to a Result at once; the CLI renders errors to text and exit codes.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace stork {

// The error side of a Result, wrapped so that Result<std::string, std::string> stays unambiguous.
template <class E>
struct Unexpected {
  E error;
};

template <class E>
Unexpected<std::decay_t<E>> fail(E&& error) {
  return {std::forward<E>(error)};
}

template <class T, class E>
class [[nodiscard]] Result {
 public:
  Result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}  // NOLINT implicit
  template <class G>
  Result(Unexpected<G> error)  // NOLINT implicit
      : storage_(std::in_place_index<1>, std::move(error.error)) {}

  bool ok() const { return storage_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(storage_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(storage_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(storage_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& error() const {
    assert(!ok());
    return std::get<1>(storage_);
  }
  E&& take_error() && {
    assert(!ok());
    return std::get<1>(std::move(storage_));
  }

 private:
  std::variant<T, E> storage_;
};

// Result<void, E>: success carries nothing.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  template <class G>
  Result(Unexpected<G> error) : error_(std::move(error.error)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const E& error() const {
    assert(failed_);
    return error_;
  }
  E&& take_error() && {
    assert(failed_);
    return std::move(error_);
  }

 private:
  E error_{};
  bool failed_ = false;
};

// The plain error of I/O-level helpers in base/: what was attempted and why it failed.
struct IoError {
  std::string message;
};

template <class T>
using IoResult = Result<T, IoError>;

}  // namespace stork
