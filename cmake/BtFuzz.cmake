# libFuzzer targets for the config parser and the data readers (fuzz/), with BT_FUZZ=ON and
# clang. The libraries they use (engine_core, engine_config, engine_data) are then built with
# coverage instrumentation and ASan + UBSan, so configure a build folder of its own for it (scripts/fuzz.sh uses build-fuzz). Each target gets a CTest
# test that fuzzes it for BT_FUZZ_SECONDS from its seed corpus (fuzz/corpus/<target>).
option(BT_FUZZ "Build the libFuzzer targets in fuzz/ and test them (clang only)" OFF)
set(BT_FUZZ_SECONDS 5 CACHE STRING "Seconds each fuzz target runs as a CTest test")

if(NOT BT_FUZZ)
    return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(WARNING "BT_FUZZ needs clang (libFuzzer); ${CMAKE_CXX_COMPILER_ID} found: the fuzz "
                    "targets are skipped. Configure with -DCMAKE_CXX_COMPILER=clang++.")
    return()
endif()

include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer")
set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=fuzzer")
check_cxx_source_compiles([[
    #include <cstddef>
    #include <cstdint>
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
]] BT_HAVE_LIBFUZZER)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
if(NOT BT_HAVE_LIBFUZZER)
    message(WARNING "clang cannot link -fsanitize=fuzzer (Debian: libclang-rt-14-dev): the fuzz "
                    "targets are skipped.")
    return()
endif()

# Coverage for libFuzzer's guidance and the sanitizers in the code under test; whatever links
# them in this build gets the sanitizer runtimes.
set(BT_FUZZ_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=all
                       -fno-omit-frame-pointer)
foreach(library engine_core engine_config engine_data)
    target_compile_options(${library} PRIVATE -fsanitize=fuzzer-no-link ${BT_FUZZ_SANITIZERS})
    target_link_options(${library} INTERFACE -fsanitize=address,undefined)
endforeach()

enable_testing()
add_subdirectory(fuzz)
