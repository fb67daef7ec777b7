// Boost.Asio's implementation, compiled once for the whole program (BOOST_ASIO_SEPARATE_COMPILATION
// is set on every target that links stork_asio): without it every file that includes an Asio
// header compiles the whole library again, which costs seconds per file on two cores.
#include <boost/asio/impl/src.hpp>
