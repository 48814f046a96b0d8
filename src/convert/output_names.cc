#include "convert/output_names.h"

#include <unordered_map>
#include <unordered_set>

namespace parkett::convert {
namespace {

std::string folded(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::vector<std::string> output_names(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  out.reserve(names.size());
  std::unordered_set<std::string> taken;
  taken.reserve(names.size() * 2);
  // Names as written are claimed first, so a later "a_1" keeps its name and an earlier
  // duplicate "a" becomes "a_2" rather than taking it.
  for (const auto& n : names) {
    if (!n.empty()) taken.insert(folded(n));
  }
  std::unordered_set<std::string> seen;
  seen.reserve(names.size() * 2);
  std::unordered_map<std::string, size_t> next_suffix;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string base = names[i].empty() ? "C" + std::to_string(i + 1) : names[i];
    std::string key = folded(base);
    if (!names[i].empty() && seen.insert(key).second) {
      out.push_back(base);  // the first of its name keeps it
      continue;
    }
    // Suffixes continue where the last one of this name stopped: many columns of one name
    // stay linear.
    size_t& k = next_suffix[key];
    std::string candidate = base;
    while (taken.count(folded(candidate))) candidate = base + "_" + std::to_string(++k);
    taken.insert(folded(candidate));
    seen.insert(folded(candidate));
    out.push_back(std::move(candidate));
  }
  return out;
}

}  // namespace parkett::convert
