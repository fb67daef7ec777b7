// Asio's SSL support compiled once (BOOST_ASIO_SEPARATE_COMPILATION), for the server's TLS.
#include <boost/asio/ssl/impl/src.hpp>
