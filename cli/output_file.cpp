// Whole-file output by rename; see output_file.hpp.
#include "cli/output_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sim/errors.hpp"

namespace electsim {

OutputFile::OutputFile(std::string path, const std::string& option, bool streamed)
    : path_(std::move(path)),
      temporary_(streamed ? path_ : path_ + ".tmp." + std::to_string(::getpid())),
      option_(option),
      streamed_(streamed) {
  file_ = std::fopen(temporary_.c_str(), "w+b");  // readable: run --timeline reads its trace back
  if (!file_) throw InputError(option_, "cannot write " + path_ + ": " + std::strerror(errno));
}

OutputFile::~OutputFile() {
  if (file_) {
    std::fclose(file_);
    if (!streamed_) std::remove(temporary_.c_str());
  }
}

void OutputFile::write(const std::string& text, bool flush) {
  std::fwrite(text.data(), 1, text.size(), file_);
  if (flush) std::fflush(file_);
}

void OutputFile::commit() {
  const bool ok = std::fflush(file_) == 0 && std::fclose(file_) == 0;
  file_ = nullptr;
  if (ok && streamed_) return;
  if (!ok || std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    std::remove(temporary_.c_str());
    throw InputError(option_, "cannot write " + path_ + ": " + std::strerror(errno));
  }
}

}  // namespace electsim
