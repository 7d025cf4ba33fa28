// The list of algorithms; see registry.hpp.
#include "algorithms/registry.hpp"

namespace electsim {

Registry::Registry() {
  algorithms_.push_back(raft_algorithm());
  algorithms_.push_back(bully_algorithm());
  algorithms_.push_back(paxos_algorithm());
  algorithms_.push_back(zab_algorithm());
}

const AlgorithmInfo* Registry::algorithm(std::string_view name) const {
  for (const AlgorithmInfo& info : algorithms_)
    if (info.name == name) return &info;
  return nullptr;
}

const std::vector<ParamSpec>* Registry::find(std::string_view name) const {
  const AlgorithmInfo* info = algorithm(name);
  return info ? &info->params : nullptr;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const AlgorithmInfo& info : algorithms_) out.push_back(info.name);
  return out;
}

const Registry& registry() {
  static const Registry instance;
  return instance;
}

}  // namespace electsim
