// Amounts in US dollars as people read them: "$0.0033" for what a run of a small model costs,
// "$12.50" from a dollar on. Never scientific notation ("$3.272E-3", what serialising the
// double gives) and never rounded to nothing ("$0.00" for a run that cost a third of a cent).
#pragma once

#include <string>

namespace stork {

// Two decimals from $1 on; below, four (trailing zeros past the second dropped: "$0.25").
std::string format_usd(double amount);

}  // namespace stork
