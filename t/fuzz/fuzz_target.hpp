#pragma once

// A fuzz target over one parser of outside input (docs/testing.md §7). The same source is
// built two ways: by `make fuzz` with clang and libFuzzer (TWAKE_LIBFUZZER defined), where it
// is the binary's LLVMFuzzerTestOneInput; and into the unit tests, where it registers itself so
// that its corpus, t/fuzz/<name>/, is replayed by every `make test` — what fuzzing once found
// stays fixed.
//
// A target hands the input to the parser and catches only the errors the parser documents for
// bad input; anything else (another exception, a crash, a sanitizer report) is a finding.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace twake::fuzz {

using Target = void (*)(std::string_view input);

// Records a target for the corpus replay; returns true (for a static initializer).
bool register_target(const char* name, Target target);

// Runs `parse`, letting through only the error `Refusal` its parser documents for bad input.
template <class Refusal, class Parse>
void refused_as(Parse&& parse) {
    try {
        parse();
    } catch (const Refusal&) {
    }
}

}  // namespace twake::fuzz

#ifdef TWAKE_LIBFUZZER
#define TWAKE_FUZZ_TARGET(name)                                                         \
    static void fuzz_one(std::string_view input);                                       \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
        fuzz_one(std::string_view(reinterpret_cast<const char*>(data), size));          \
        return 0;                                                                       \
    }                                                                                   \
    static void fuzz_one(std::string_view input)
#else
#define TWAKE_FUZZ_TARGET(name)                            \
    static void fuzz_one(std::string_view input);          \
    [[maybe_unused]] static const bool registered_##name = \
        twake::fuzz::register_target(#name, fuzz_one);     \
    static void fuzz_one(std::string_view input)
#endif
