#pragma once
#include <string>
#include <vector>

namespace oauth {

// One labelled value shown under a message ("trace_id", "2f0b...").
struct Detail {
    std::string label;
    std::string value;
};

using Details = std::vector<Detail>;

} // namespace oauth
