// Scenario loading: read the file (comments allowed), apply the command-line
// overrides, then validate every field into a Scenario. Nothing is silently
// ignored: an unknown field, a wrong type or an out-of-range value throws an
// InputError naming the field's JSON pointer.
#include "sim/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/errors.hpp"
#include "sim/json_input.hpp"

namespace electsim {

using nlohmann::json;
using namespace input;

std::string_view fault_action_name(FaultAction action) {
  switch (action) {
    case FaultAction::crash:
      return "crash";
    case FaultAction::restart:
      return "restart";
    case FaultAction::partition:
      return "partition";
    case FaultAction::isolate:
      return "isolate";
    case FaultAction::cut:
      return "cut";
    case FaultAction::heal:
      return "heal";
    case FaultAction::campaign:
      return "campaign";
    case FaultAction::network:
      return "network";
    case FaultAction::pause:
      return "pause";
    case FaultAction::drift:
      return "drift";
  }
  return "?";
}

namespace {

constexpr std::uint32_t kMaxNodes = 100000;
constexpr Time kMaxDuration = 30 * kDay;

// --- overrides -------------------------------------------------------------

void apply_set(json& document, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set " + assignment, "expected PATH=VALUE, such as network.loss=0.2");
  const std::string path = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = text;  // not JSON: taken as a string

  json* node = &document;
  std::string pointer;
  std::stringstream segments(path);
  std::string segment;
  std::vector<std::string> parts;
  while (std::getline(segments, segment, '.')) parts.push_back(segment);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part.empty()) throw InputError("--set " + path, "empty segment in the path");
    const bool last = i + 1 == parts.size();
    if (node->is_array()) {
      const bool numeric =
          std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!numeric || part.size() > 9 || std::stoul(part) >= node->size())
        throw InputError("--set " + path,
                         fmt::format("'{}' is not an index of {} (it has {} entries)", part,
                                     pointer.empty() ? "/" : pointer, node->size()));
      node = &(*node)[std::stoul(part)];
    } else {
      if (node->is_null()) *node = json::object();
      if (!node->is_object())
        throw InputError("--set " + path,
                         fmt::format("{} is not an object", pointer.empty() ? "/" : pointer));
      node = &(*node)[part];
    }
    pointer = child(pointer, part);
    if (last) *node = value;
  }
}

void apply_overrides(json& document, const Overrides& overrides) {
  if (!document.is_object()) return;  // reported by validation
  if (overrides.seed) document["seed"] = *overrides.seed;
  if (overrides.algorithm) document["algorithm"] = *overrides.algorithm;
  if (overrides.nodes) document["nodes"] = *overrides.nodes;
  if (overrides.duration) document["duration"] = *overrides.duration;
  for (const std::string& assignment : overrides.sets) apply_set(document, assignment);
}

// --- network -----------------------------------------------------------------

DelaySpec parse_delay(const json& value, const std::string& pointer) {
  require_object(value, pointer);
  if (!value.contains("distribution"))
    throw InputError(child(pointer, "distribution"),
                     "missing (constant, uniform, normal, exponential, lognormal or pareto)");
  const std::string kind = read_string(value["distribution"], child(pointer, "distribution"));
  DelaySpec spec;
  auto time_field = [&](const char* key) {
    if (!value.contains(key)) throw InputError(child(pointer, key), "missing");
    return read_time(value[key], child(pointer, key));
  };
  auto number_field = [&](const char* key, double min, double max) {
    if (!value.contains(key)) throw InputError(child(pointer, key), "missing");
    return read_number(value[key], child(pointer, key), min, max);
  };
  if (kind == "constant") {
    only_keys(value, pointer, {"distribution", "value"});
    spec.kind = DelaySpec::Kind::constant;
    spec.a = time_field("value");
    spec.b = 0;
  } else if (kind == "uniform") {
    only_keys(value, pointer, {"distribution", "min", "max"});
    spec.kind = DelaySpec::Kind::uniform;
    spec.a = time_field("min");
    spec.b = time_field("max");
    if (spec.a > spec.b) throw InputError(child(pointer, "min"), "min is greater than max");
  } else if (kind == "normal") {
    only_keys(value, pointer, {"distribution", "mean", "stddev"});
    spec.kind = DelaySpec::Kind::normal;
    spec.a = time_field("mean");
    spec.b = time_field("stddev");
  } else if (kind == "exponential") {
    only_keys(value, pointer, {"distribution", "mean", "min"});
    spec.kind = DelaySpec::Kind::exponential;
    spec.a = time_field("mean");
    spec.b = value.contains("min") ? read_time(value["min"], child(pointer, "min")) : 0;
  } else if (kind == "lognormal") {
    only_keys(value, pointer, {"distribution", "median", "sigma"});
    spec.kind = DelaySpec::Kind::lognormal;
    spec.a = time_field("median");
    spec.b = 0;
    spec.shape = number_field("sigma", 0, 10);
  } else if (kind == "pareto") {
    only_keys(value, pointer, {"distribution", "scale", "shape"});
    spec.kind = DelaySpec::Kind::pareto;
    spec.a = time_field("scale");
    spec.b = 0;
    spec.shape = number_field("shape", 0.01, 100);
  } else {
    throw InputError(
        child(pointer, "distribution"),
        fmt::format("unknown distribution \"{}\" (expected constant, uniform, normal, exponential, "
                    "lognormal or pareto)",
                    kind));
  }
  return spec;
}

double read_probability(const json& value, const std::string& pointer) {
  return read_number(value, pointer, 0, 1);
}

NodeId read_node_id(const json& value, const std::string& pointer, std::uint32_t nodes) {
  if (!value.is_number_integer() && !value.is_number_unsigned())
    throw InputError(pointer, "expected a node id, got " + describe(value));
  const std::int64_t id = value.get<std::int64_t>();
  if (id < 1 || id > static_cast<std::int64_t>(nodes))
    throw InputError(pointer, fmt::format("node id {} is out of range 1..{}", value.dump(), nodes));
  return static_cast<NodeId>(id);
}

std::vector<NodeId> read_id_list(const json& value, const std::string& pointer,
                                 std::uint32_t nodes) {
  require_array(value, pointer);
  if (value.empty()) throw InputError(pointer, "expected at least one node id");
  std::vector<NodeId> ids;
  std::set<NodeId> seen;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const NodeId id = read_node_id(value[i], child(pointer, i), nodes);
    if (!seen.insert(id).second)
      throw InputError(child(pointer, i), fmt::format("node {} is listed twice", id));
    ids.push_back(id);
  }
  return ids;
}

std::pair<NodeId, NodeId> read_link(const json& value, const std::string& pointer,
                                    std::uint32_t nodes) {
  if (!value.is_array() || value.size() != 2)
    throw InputError(pointer, "expected a link [a, b], got " + describe(value));
  const NodeId a = read_node_id(value[0], child(pointer, 0), nodes);
  const NodeId b = read_node_id(value[1], child(pointer, 1), nodes);
  if (a == b) throw InputError(pointer, "a link joins two different nodes");
  return {a, b};
}

NetworkSpec parse_network(const json& value, const std::string& pointer, std::uint32_t nodes) {
  NetworkSpec spec;
  spec.defaults.delay = DelaySpec{DelaySpec::Kind::uniform, 1 * kMillisecond, 10 * kMillisecond, 0};
  require_object(value, pointer);
  only_keys(value, pointer, {"delay", "loss", "duplicate", "links"});
  if (value.contains("delay"))
    spec.defaults.delay = parse_delay(value["delay"], child(pointer, "delay"));
  if (value.contains("loss"))
    spec.defaults.loss_probability = read_probability(value["loss"], child(pointer, "loss"));
  if (value.contains("duplicate"))
    spec.defaults.duplicate_probability =
        read_probability(value["duplicate"], child(pointer, "duplicate"));
  if (value.contains("links")) {
    const std::string links_pointer = child(pointer, "links");
    require_array(value["links"], links_pointer);
    for (std::size_t i = 0; i < value["links"].size(); ++i) {
      const json& entry = value["links"][i];
      const std::string at = child(links_pointer, i);
      require_object(entry, at);
      only_keys(entry, at, {"link", "oneway", "delay", "loss", "duplicate"});
      if (!entry.contains("link")) throw InputError(child(at, "link"), "missing (a link [a, b])");
      LinkOverride link;
      std::tie(link.from, link.to) = read_link(entry["link"], child(at, "link"), nodes);
      if (entry.contains("oneway")) link.oneway = read_bool(entry["oneway"], child(at, "oneway"));
      if (entry.contains("delay")) link.delay = parse_delay(entry["delay"], child(at, "delay"));
      if (entry.contains("loss"))
        link.loss_probability = read_probability(entry["loss"], child(at, "loss"));
      if (entry.contains("duplicate"))
        link.duplicate_probability = read_probability(entry["duplicate"], child(at, "duplicate"));
      if (!link.delay && !link.loss_probability && !link.duplicate_probability)
        throw InputError(at, "a link override needs delay, loss or duplicate");
      spec.links.push_back(link);
    }
  }
  return spec;
}

// --- faults ------------------------------------------------------------------

Target parse_target(const json& value, const std::string& pointer, std::uint32_t nodes) {
  Target target;
  if (value.is_string()) {
    const std::string name = value.get<std::string>();
    static const std::pair<const char*, Target::Kind> kNamed[] = {
        {"leader", Target::Kind::leader},
        {"random", Target::Kind::random},
        {"all", Target::Kind::all},
        {"majority", Target::Kind::majority},
        {"minority", Target::Kind::minority}};
    for (const auto& [label, kind] : kNamed)
      if (name == label) {
        target.kind = kind;
        return target;
      }
    throw InputError(
        pointer,
        fmt::format("unknown target \"{}\" (expected a node id, a list of ids, \"leader\", "
                    "\"random\", \"all\", \"majority\" or \"minority\")",
                    name));
  }
  if (value.is_array()) {
    target.ids = read_id_list(value, pointer, nodes);
    return target;
  }
  target.ids.push_back(read_node_id(value, pointer, nodes));
  return target;
}

constexpr std::string_view kActionKeys[] = {"crash", "restart",  "partition", "isolate", "cut",
                                            "heal",  "campaign", "network",   "pause",   "drift"};

FaultSpec parse_fault(const json& value, const std::string& pointer, std::uint32_t nodes) {
  require_object(value, pointer);
  only_keys(value, pointer,
            {"at", "every", "until", "for", "jitter", "oneway", "crash", "restart", "partition",
             "isolate", "cut", "heal", "campaign", "network", "pause", "drift"});
  FaultSpec fault;
  fault.origin = pointer;
  if (!value.contains("at"))
    throw InputError(child(pointer, "at"), "missing (when the fault happens)");
  fault.at = read_time(value["at"], child(pointer, "at"));
  int actions = 0;
  std::string_view action_key;
  for (std::string_view key : kActionKeys)
    if (value.contains(std::string(key))) {
      ++actions;
      action_key = key;
    }
  if (actions != 1)
    throw InputError(
        pointer, actions == 0
                     ? "no action (expected one of crash, restart, partition, isolate, cut, heal, "
                       "campaign, network, pause, drift)"
                     : "more than one action in one entry");
  const std::string action_pointer = child(pointer, action_key);
  const json& action = value[std::string(action_key)];
  for (std::size_t i = 0; i < std::size(kActionKeys); ++i)
    if (kActionKeys[i] == action_key) fault.action = static_cast<FaultAction>(i);

  switch (fault.action) {
    case FaultAction::crash:
    case FaultAction::restart:
    case FaultAction::isolate:
    case FaultAction::campaign:
    case FaultAction::pause:
      fault.target = parse_target(action, action_pointer, nodes);
      break;
    case FaultAction::partition: {
      require_array(action, action_pointer);
      if (action.empty()) throw InputError(action_pointer, "a partition needs at least one group");
      std::set<NodeId> seen;
      for (std::size_t g = 0; g < action.size(); ++g) {
        const std::string group_pointer = child(action_pointer, g);
        std::vector<NodeId> group = read_id_list(action[g], group_pointer, nodes);
        for (std::size_t i = 0; i < group.size(); ++i)
          if (!seen.insert(group[i]).second)
            throw InputError(child(group_pointer, i),
                             fmt::format("node {} is in two groups", group[i]));
        fault.groups.push_back(std::move(group));
      }
      break;
    }
    case FaultAction::cut: {
      require_array(action, action_pointer);
      if (action.empty()) throw InputError(action_pointer, "expected at least one link [a, b]");
      for (std::size_t i = 0; i < action.size(); ++i)
        fault.links.push_back(read_link(action[i], child(action_pointer, i), nodes));
      break;
    }
    case FaultAction::heal:
      if (!action.is_boolean() || !action.get<bool>())
        throw InputError(action_pointer, "expected true");
      break;
    case FaultAction::network: {
      require_object(action, action_pointer);
      only_keys(action, action_pointer, {"delay", "loss", "duplicate"});
      if (action.empty()) throw InputError(action_pointer, "expected delay, loss or duplicate");
      if (action.contains("delay"))
        fault.network.delay = parse_delay(action["delay"], child(action_pointer, "delay"));
      if (action.contains("loss"))
        fault.network.loss_probability =
            read_probability(action["loss"], child(action_pointer, "loss"));
      if (action.contains("duplicate"))
        fault.network.duplicate_probability =
            read_probability(action["duplicate"], child(action_pointer, "duplicate"));
      break;
    }
    case FaultAction::drift: {
      require_object(action, action_pointer);
      only_keys(action, action_pointer, {"node", "rate"});
      if (!action.contains("node")) throw InputError(child(action_pointer, "node"), "missing");
      if (!action.contains("rate")) throw InputError(child(action_pointer, "rate"), "missing");
      fault.drift_node = read_node_id(action["node"], child(action_pointer, "node"), nodes);
      fault.drift_rate = read_number(action["rate"], child(action_pointer, "rate"), 0.01, 100);
      break;
    }
  }

  if (value.contains("oneway")) {
    if (fault.action != FaultAction::cut)
      throw InputError(child(pointer, "oneway"), "only a cut can be one way");
    fault.oneway = read_bool(value["oneway"], child(pointer, "oneway"));
  }
  if (value.contains("every")) fault.every = read_time(value["every"], child(pointer, "every"), 1);
  if (value.contains("until")) {
    if (!value.contains("every"))
      throw InputError(child(pointer, "until"), "only an entry with \"every\" has \"until\"");
    fault.until = read_time(value["until"], child(pointer, "until"));
    if (fault.until <= fault.at)
      throw InputError(child(pointer, "until"), "must be later than \"at\"");
  }
  if (value.contains("jitter")) fault.jitter = read_time(value["jitter"], child(pointer, "jitter"));
  if (value.contains("for")) {
    const std::string for_pointer = child(pointer, "for");
    if (fault.action == FaultAction::restart || fault.action == FaultAction::heal ||
        fault.action == FaultAction::campaign)
      throw InputError(for_pointer,
                       fmt::format("\"for\" cannot undo a {}", fault_action_name(fault.action)));
    fault.undo_after = read_time(value["for"], for_pointer, 1);
    if (fault.every != 0 && fault.undo_after >= fault.every)
      throw InputError(for_pointer, "\"for\" must be shorter than \"every\"");
  }
  return fault;
}

// --- nemesis and checks --------------------------------------------------------

std::pair<Time, Time> read_time_or_range(const json& value, const std::string& pointer) {
  if (value.is_array()) return read_time_range(value, pointer);
  const Time t = read_time(value, pointer, 1);
  return {t, t};
}

NemesisSpec parse_nemesis(const json& value, const std::string& pointer, Time duration) {
  require_object(value, pointer);
  only_keys(
      value, pointer,
      {"crash_rate_per_s", "down_time", "partition_rate_per_s", "isolate_rate_per_s",
       "oneway_rate_per_s", "bridge_rate_per_s", "heal_after", "loss_burst_rate_per_s",
       "burst_loss", "delay_spike_rate_per_s", "spike_delay", "burst_length", "swarm", "until"});
  NemesisSpec spec;
  const std::pair<const char*, double NemesisSpec::*> rates[] = {
      {"crash_rate_per_s", &NemesisSpec::crash_rate_per_s},
      {"partition_rate_per_s", &NemesisSpec::partition_rate_per_s},
      {"isolate_rate_per_s", &NemesisSpec::isolate_rate_per_s},
      {"oneway_rate_per_s", &NemesisSpec::oneway_rate_per_s},
      {"bridge_rate_per_s", &NemesisSpec::bridge_rate_per_s},
      {"loss_burst_rate_per_s", &NemesisSpec::loss_burst_rate_per_s},
      {"delay_spike_rate_per_s", &NemesisSpec::delay_spike_rate_per_s}};
  for (const auto& [key, field] : rates)
    if (value.contains(key)) spec.*field = read_number(value[key], child(pointer, key), 0, 1000);
  if (value.contains("down_time"))
    std::tie(spec.down_time_min, spec.down_time_max) =
        read_time_or_range(value["down_time"], child(pointer, "down_time"));
  if (value.contains("heal_after"))
    std::tie(spec.heal_after_min, spec.heal_after_max) =
        read_time_or_range(value["heal_after"], child(pointer, "heal_after"));
  if (value.contains("burst_length"))
    std::tie(spec.burst_length_min, spec.burst_length_max) =
        read_time_or_range(value["burst_length"], child(pointer, "burst_length"));
  if (value.contains("burst_loss"))
    spec.burst_loss = read_number(value["burst_loss"], child(pointer, "burst_loss"), 0, 1);
  if (value.contains("spike_delay")) {
    spec.spike_delay = parse_delay(value["spike_delay"], child(pointer, "spike_delay"));
    spec.spike_delay_json = value["spike_delay"];
  }
  if (value.contains("swarm")) spec.swarm = read_bool(value["swarm"], child(pointer, "swarm"));
  spec.until =
      value.contains("until") ? read_time(value["until"], child(pointer, "until")) : duration / 2;
  return spec;
}

Checks parse_checks(const json& value, const std::string& pointer) {
  require_object(value, pointer);
  only_keys(value, pointer, {"safety", "liveness", "split_brain_grace"});
  Checks checks;
  if (value.contains("safety"))
    checks.safety = read_bool(value["safety"], child(pointer, "safety"));
  if (value.contains("liveness")) {
    const json& liveness = value["liveness"];
    const std::string at = child(pointer, "liveness");
    if (liveness.is_boolean()) {
      if (liveness.get<bool>()) throw InputError(at, "expected false or { \"within\": T }");
      checks.liveness = false;
    } else {
      require_object(liveness, at);
      only_keys(liveness, at, {"within"});
      if (!liveness.contains("within")) throw InputError(child(at, "within"), "missing");
      checks.liveness_within = read_time(liveness["within"], child(at, "within"), 1);
    }
  }
  if (value.contains("split_brain_grace"))
    checks.split_brain_grace =
        read_time(value["split_brain_grace"], child(pointer, "split_brain_grace"));
  return checks;
}

// --- params ------------------------------------------------------------------

json normalize_param(const ParamSpec& spec, const json& value, const std::string& pointer,
                     std::uint32_t nodes) {
  switch (spec.kind) {
    case ParamSpec::Kind::time:
      return read_time(value, pointer, 1);
    case ParamSpec::Kind::time_range: {
      const auto [lo, hi] = read_time_range(value, pointer);
      return json::array({lo, hi});
    }
    case ParamSpec::Kind::boolean:
      return read_bool(value, pointer);
    case ParamSpec::Kind::number:
      return read_number(value, pointer, spec.min, spec.max);
    case ParamSpec::Kind::integer:
      return read_integer(value, pointer, static_cast<std::int64_t>(spec.min),
                          static_cast<std::int64_t>(spec.max));
    case ParamSpec::Kind::custom:
      if (spec.check) spec.check(value, pointer, nodes);
      return value;
  }
  return value;
}

// Defaults, then each layer in order; every key checked against the list.
json normalize_params(const std::vector<ParamSpec>& specs,
                      const std::vector<std::pair<const json*, std::string>>& layers,
                      const std::string& algorithm, std::uint32_t nodes) {
  json out = json::object();
  for (const ParamSpec& spec : specs)
    out[spec.name] =
        normalize_param(spec, spec.default_value, "(default of " + spec.name + ")", nodes);
  for (const auto& [layer, pointer] : layers) {
    require_object(*layer, pointer);
    for (const auto& [key, value] : layer->items()) {
      const auto it = std::find_if(specs.begin(), specs.end(),
                                   [&](const ParamSpec& s) { return s.name == key; });
      if (it == specs.end()) {
        std::string names;
        for (const ParamSpec& s : specs) names += (names.empty() ? "" : ", ") + s.name;
        throw InputError(child(pointer, key),
                         fmt::format("unknown parameter for {} (expected one of: {})", algorithm,
                                     names.empty() ? "none" : names));
      }
      out[key] = normalize_param(*it, value, child(pointer, key), nodes);
    }
  }
  return out;
}

const std::vector<ParamSpec>& require_algorithm(const ParamCatalog& catalog,
                                                const std::string& name,
                                                const std::string& pointer) {
  const std::vector<ParamSpec>* specs = catalog.find(name);
  if (specs == nullptr) {
    std::string names;
    for (const std::string& known : catalog.names()) names += (names.empty() ? "" : ", ") + known;
    throw InputError(pointer,
                     fmt::format("unknown algorithm \"{}\" (expected one of: {})", name, names));
  }
  return *specs;
}

}  // namespace

json Scenario::params_for(const std::string& algorithm_name, const ParamCatalog& catalog) const {
  const std::vector<ParamSpec>& specs = require_algorithm(catalog, algorithm_name, "--algorithms");
  std::vector<std::pair<const json*, std::string>> layers;
  const json& source_params = effective.contains("params") ? effective["params"] : json::object();
  if (algorithm_name == file_algorithm && effective.contains("params"))
    layers.push_back({&source_params, "/params"});
  const json* by_algorithm = nullptr;
  if (effective.contains("params_by_algorithm") &&
      effective["params_by_algorithm"].contains(algorithm_name)) {
    by_algorithm = &effective["params_by_algorithm"][algorithm_name];
    layers.push_back({by_algorithm, "/params_by_algorithm/" + algorithm_name});
  }
  return normalize_params(specs, layers, algorithm_name, nodes);
}

Scenario scenario_from_json(json document, const std::string& file, const Overrides& overrides,
                            const ParamCatalog& catalog) {
  Scenario s;
  s.file = file;
  require_object(document, "");
  // `params` belong to the algorithm the file names, even when the command
  // line runs another one (DESIGN.md: params_by_algorithm).
  if (document.contains("algorithm") && document["algorithm"].is_string())
    s.file_algorithm = document["algorithm"].get<std::string>();
  apply_overrides(document, overrides);
  only_keys(document, "",
            {"name", "description", "algorithm", "nodes", "seed", "duration", "params",
             "params_by_algorithm", "network", "faults", "nemesis", "checks"});
  for (const char* key : {"algorithm", "nodes", "duration"})
    if (!document.contains(key)) throw InputError(std::string("/") + key, "missing (required)");

  if (document.contains("name")) s.name = read_string(document["name"], "/name");
  if (document.contains("description"))
    s.description = read_string(document["description"], "/description");
  s.algorithm = read_string(document["algorithm"], "/algorithm");
  if (s.file_algorithm.empty()) s.file_algorithm = s.algorithm;
  require_algorithm(catalog, s.algorithm, "/algorithm");
  s.nodes = static_cast<std::uint32_t>(read_integer(document["nodes"], "/nodes", 1, kMaxNodes));
  if (document.contains("seed")) s.seed = read_u64(document["seed"], "/seed");
  s.duration = read_time(document["duration"], "/duration", 1, kMaxDuration);

  // Validate every layer of params, then build the effective params.
  if (document.contains("params")) {
    const std::vector<ParamSpec>& file_specs =
        require_algorithm(catalog, s.file_algorithm, "/algorithm");
    normalize_params(file_specs, {{&document["params"], "/params"}}, s.file_algorithm, s.nodes);
  }
  if (document.contains("params_by_algorithm")) {
    require_object(document["params_by_algorithm"], "/params_by_algorithm");
    for (const auto& [name, layer] : document["params_by_algorithm"].items()) {
      const std::string pointer = child("/params_by_algorithm", name);
      const std::vector<ParamSpec>& layer_specs = require_algorithm(catalog, name, pointer);
      s.params_by_algorithm[name] =
          normalize_params(layer_specs, {{&layer, pointer}}, name, s.nodes);
    }
  }
  s.effective = document;
  s.params = s.params_for(s.algorithm, catalog);

  if (document.contains("network"))
    s.network = parse_network(document["network"], "/network", s.nodes);
  else
    s.network = parse_network(json::object(), "/network", s.nodes);
  if (document.contains("faults")) {
    require_array(document["faults"], "/faults");
    for (std::size_t i = 0; i < document["faults"].size(); ++i)
      s.faults.push_back(parse_fault(document["faults"][i], child("/faults", i), s.nodes));
  }
  if (document.contains("nemesis"))
    s.nemesis = parse_nemesis(document["nemesis"], "/nemesis", s.duration);
  if (document.contains("checks")) s.checks = parse_checks(document["checks"], "/checks");
  return s;
}

namespace {

// Parses JSON (comments allowed) and rejects duplicate keys, which nlohmann
// would otherwise resolve silently by keeping the last one.
json parse_scenario_text(const std::string& text) {
  struct Frame {
    bool is_object;
    std::set<std::string> keys;
    std::string key;        // object: the key being read
    std::size_t index = 0;  // array: the element being read
  };
  std::vector<Frame> frames;
  auto pointer_of = [&](std::size_t depth) {
    std::string pointer;
    for (std::size_t i = 0; i < depth; ++i)
      pointer =
          frames[i].is_object ? child(pointer, frames[i].key) : child(pointer, frames[i].index);
    return pointer;
  };
  auto element_done = [&] {
    if (!frames.empty() && !frames.back().is_object) ++frames.back().index;
  };
  const json::parser_callback_t callback = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        frames.push_back(Frame{true, {}, {}, 0});
        break;
      case json::parse_event_t::array_start:
        frames.push_back(Frame{false, {}, {}, 0});
        break;
      case json::parse_event_t::key: {
        Frame& frame = frames.back();
        frame.key = parsed.get<std::string>();
        if (!frame.keys.insert(frame.key).second)
          throw InputError(pointer_of(frames.size()), "duplicate key (each field may appear once)");
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames.pop_back();
        element_done();
        break;
      case json::parse_event_t::value:
        element_done();
        break;
    }
    return true;
  };
  try {
    return json::parse(text, callback, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    std::string what = e.what();
    const auto at = what.find("parse error");
    throw InputError("", "malformed JSON: " + (at == std::string::npos ? what : what.substr(at)));
  }
}

}  // namespace

Scenario load_scenario(const std::string& file, const Overrides& overrides,
                       const ParamCatalog& catalog) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("", "cannot read the file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  json document = parse_scenario_text(buffer.str());
  return scenario_from_json(std::move(document), file, overrides, catalog);
}

}  // namespace electsim
