// electsim's entry point: picks the subcommand and maps what escapes it to an
// exit code (DESIGN.md): 2 for bad input or usage (one line on stderr), 3 for
// an internal error (a bug, with the seed and simulated time).
#include <iostream>

#include "cli/cli_error.hpp"
#include "cli/commands.hpp"

namespace {

const char* const kUsage =
    "electsim: a deterministic simulator for leader election\n"
    "\n"
    "usage:\n"
    "  electsim run SCENARIO.json [--seed N] [--algorithm NAME] [--nodes N] [--duration T]\n"
    "                             [--set PATH=VALUE]... [--format text|json] [--trace FILE.jsonl]\n"
    "                             [--timeline FILE.svg [--window A..B]]\n"
    "  electsim sweep SCENARIO.json --seeds A..B [--jobs N] [--shard I/N] [--out FILE.jsonl]\n"
    "                             [--format text|json] [--set ...] [--grid PATH=V1,V2,...]\n"
    "  electsim compare SCENARIO.json --algorithms a,b,... [--seeds A..B] [--format "
    "text|json|csv]\n"
    "                             [--chart FILE.svg]\n"
    "  electsim merge SHARD.jsonl... [--format text|json]   shards of one sweep -> one summary\n"
    "  electsim shrink SCENARIO.json --seed N [--out MINIMAL.json]\n"
    "  electsim validate SCENARIO.json...\n"
    "  electsim list [--format json]       algorithms, their parameters and defaults\n"
    "  electsim --version\n"
    "\n"
    "Each command has --help. Exit codes: 0 every check held, 1 a check failed,\n"
    "2 bad input or usage, 3 internal error.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace electsim;
  std::ios::sync_with_stdio(false);
  const Args all(argv + 1, argv + argc);
  if (all.empty()) {
    std::cerr
        << "error: missing command (run, sweep, compare, merge, shrink, validate or list; see "
           "electsim --help)\n";
    return 2;
  }
  if (all[0] == "--help" || all[0] == "-h" || all[0] == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (all[0] == "--version") {
    if (all.size() > 1) {
      std::cerr << "error: --version takes no arguments (got \"" << all[1] << "\")\n";
      return 2;
    }
    std::cout << "electsim " << ELECTSIM_VERSION << "\n";
    return 0;
  }
  const std::string command = all[0];
  const Args args(all.begin() + 1, all.end());
  try {
    if (command == "run") return command_run(args);
    if (command == "sweep") return command_sweep(args);
    if (command == "validate") return command_validate(args);
    if (command == "list") return command_list(args);
    if (command == "merge") return command_merge(args);
    if (command == "shrink") return command_shrink(args);
    if (command == "compare") return command_compare(args);
    std::cerr << "error: unknown command \"" << command
              << "\" (expected run, sweep, compare, merge, shrink, validate or list; see electsim "
                 "--help)\n";
    return 2;
  } catch (const FileError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const InputError& e) {
    std::cerr << "error: " << (e.pointer().empty() ? "" : e.pointer() + ": ") << e.what() << "\n";
    return 2;
  } catch (const InternalError& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 3;
  }
}
