// Provides std::ios_base_library_init(), the only GLIBCXX_3.4.32 (GCC 13) symbol libLibTorchSharp.so needs.
// GCC 13 emits a call to it from every translation unit that includes <iostream>, to construct the standard
// streams; an ios_base::Init object does exactly that on older libstdc++ (see README.md in this folder).
#include <ios>

namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}
