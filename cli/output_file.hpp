// Files written whole: to a temporary name beside the target, then renamed,
// so a reader never sees half a file and a failed run leaves none behind.
#pragma once

#include <cstdio>
#include <string>

namespace electsim {

class OutputFile {
 public:
  // Opens "<path>.tmp.<pid>"; throws InputError("--option", ...) if it cannot.
  OutputFile(std::string path, const std::string& option);
  ~OutputFile();  // removes the temporary file unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::FILE* get() { return file_; }
  void write(const std::string& text);
  // Flushes, closes and renames into place.
  void commit();

 private:
  std::string path_, temporary_, option_;
  std::FILE* file_ = nullptr;
};

}  // namespace electsim
