// Replays every fuzz target's corpus (t/fuzz/<target>/) in the unit tests: seeds and the
// inputs fuzzing found must keep going through their parser without a finding.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "t/fuzz/fuzz_target.hpp"

namespace twake::fuzz {

namespace {

std::map<std::string, Target>& targets() {
    static std::map<std::string, Target> registry;
    return registry;
}

}  // namespace

bool register_target(const char* name, Target target) {
    targets()[name] = target;
    return true;
}

}  // namespace twake::fuzz

namespace {

namespace fs = std::filesystem;

TEST(FuzzCorpus, EveryTargetHasACorpusAndGoesThroughIt) {
    const fs::path root = TWAKE_FUZZ_CORPUS_DIR;
    ASSERT_FALSE(twake::fuzz::targets().empty());
    for (const auto& [name, target] : twake::fuzz::targets()) {
        const fs::path dir = root / name;
        ASSERT_TRUE(fs::is_directory(dir)) << "no corpus for fuzz target " << name;
        int inputs = 0;
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (!entry.is_regular_file()) {
                continue;
            }
            std::ifstream in(entry.path(), std::ios::binary);
            std::string input((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
            SCOPED_TRACE(entry.path().string());
            EXPECT_NO_THROW(target(input));
            ++inputs;
        }
        EXPECT_GT(inputs, 0) << "empty corpus for fuzz target " << name;
    }
}

}  // namespace
