// Boost.Beast's implementation, compiled once for the whole program
// (BOOST_BEAST_SEPARATE_COMPILATION is set on every target that links stork_http), as
// src/base/asio_impl.cpp does for Asio.
#include <boost/beast/src.hpp>
