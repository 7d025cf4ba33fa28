// Files written whole: to a temporary name beside the target, then renamed,
// so a reader never sees half a file and a failed run leaves none behind.
#pragma once

#include <cstdio>
#include <string>

namespace electsim {

class OutputFile {
 public:
  // Opens "<path>.tmp.<pid>"; throws InputError("--option", ...) if it cannot.
  // A `streamed` file (sweep --out) is written in place instead, line by line,
  // so that an interrupted run keeps every line already written.
  OutputFile(std::string path, const std::string& option, bool streamed = false);
  ~OutputFile();  // removes the temporary file unless committed (a streamed one is kept)
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::FILE* get() { return file_; }
  void write(const std::string& text, bool flush = false);
  // Flushes, closes and renames into place.
  void commit();

 private:
  std::string path_, temporary_, option_;
  std::FILE* file_ = nullptr;
  bool streamed_ = false;
};

}  // namespace electsim
