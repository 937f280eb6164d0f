# The project's dependencies, as the imported targets the engine, the app and the benchmarks link:
#   Eigen3::Eigen  spdlog::spdlog  fmt::fmt  nlohmann_json::nlohmann_json  CLI11::CLI11
#   Boost::headers  ZLIB::ZLIB  SQLite::SQLite3  SQLiteCpp  Threads::Threads  (+ BT_LBFGSPP_INCLUDE_DIR)
# and LibTorch (TORCH_LIBRARIES, TORCH_INCLUDE_DIRS).
#
# Two sources:
# - the system (default): Debian 12's packages, which scripts/setup.sh installs;
# - BT_VENDORED_DEPS=DIR: a folder laid out by scripts/device-deps.sh, for machines that have a
#   compiler, CMake and LibTorch but none of the other libraries (a GPU machine with PyTorch's pip
#   package). Everything but LibTorch then comes from DIR and nothing from the system's include
#   or library folders:
#     DIR/include   the headers (Eigen, spdlog, fmt, nlohmann-json, CLI11, LBFGS++, SQLiteCpp,
#                   sqlite3.h, zlib.h, and the part of Boost that Boost.Random needs)
#     DIR/lib       static archives: libSQLiteCpp.a, libsqlite3.a, libz.a
#   spdlog and fmt are used header-only and the C libraries are linked statically, so the
#   binaries need no shared library beyond LibTorch's and the C and C++ runtimes: nothing built
#   by another compiler is loaded at run time.
# LibTorch is found with find_package(Torch): point Torch_DIR or CMAKE_PREFIX_PATH at it (for the
# pip package: python3 -c 'import torch; print(torch.utils.cmake_prefix_path)'); BT_TORCH_PREFIX
# below is the fallback that needs no CMake package.

set(BT_VENDORED_DEPS "" CACHE PATH
    "Folder of vendored dependencies made by scripts/device-deps.sh (empty: use the system's)")

find_package(Threads REQUIRED)
if(BT_WITH_MPI)
    # Debian 12: libopenmpi-dev (scripts/setup.sh installs it). The C API from C++, without
    # the deprecated C++ bindings.
    set(MPI_CXX_SKIP_MPICXX ON)
    find_package(MPI COMPONENTS CXX)
    if(NOT MPI_CXX_FOUND)
        message(FATAL_ERROR "BT_WITH_MPI is ON but no MPI was found: install libopenmpi-dev "
                            "(scripts/setup.sh does), or configure with -DBT_WITH_MPI=OFF")
    endif()
endif()

# bt_vendored_file(VAR PATH): sets VAR to DIR/PATH, or stops with a message naming the file.
function(bt_vendored_file var relative)
    set(file "${BT_VENDORED_DEPS}/${relative}")
    if(NOT EXISTS "${file}")
        message(FATAL_ERROR "BT_VENDORED_DEPS=${BT_VENDORED_DEPS} lacks ${relative}; "
                            "run scripts/device-deps.sh to make the folder")
    endif()
    set(${var} "${file}" PARENT_SCOPE)
endfunction()

# bt_vendored_interface(TARGET HEADER [DEFINITIONS...]): a header-only imported target whose
# headers live in DIR/include; HEADER (relative to it) must exist.
function(bt_vendored_interface target header)
    bt_vendored_file(unused "include/${header}")
    add_library(${target} INTERFACE IMPORTED)
    set_target_properties(${target} PROPERTIES
        INTERFACE_INCLUDE_DIRECTORIES "${BT_VENDORED_DEPS}/include"
        INTERFACE_COMPILE_DEFINITIONS "${ARGN}")
endfunction()

# bt_vendored_archive(TARGET ARCHIVE HEADER LINKS...): a static imported library.
function(bt_vendored_archive target archive header)
    bt_vendored_file(location "lib/${archive}")
    bt_vendored_file(unused "include/${header}")
    add_library(${target} STATIC IMPORTED)
    set_target_properties(${target} PROPERTIES
        IMPORTED_LOCATION "${location}"
        IMPORTED_LINK_INTERFACE_LANGUAGES C
        INTERFACE_INCLUDE_DIRECTORIES "${BT_VENDORED_DEPS}/include"
        INTERFACE_LINK_LIBRARIES "${ARGN}")
endfunction()

if(BT_VENDORED_DEPS)
    get_filename_component(BT_VENDORED_DEPS "${BT_VENDORED_DEPS}" ABSOLUTE)
    bt_vendored_file(manifest "MANIFEST")
    message(STATUS "Dependencies but LibTorch from ${BT_VENDORED_DEPS}")

    # The vendored headers go before every other include folder of every target. LibTorch's
    # include folders come first on the engine's own command lines otherwise, and PyTorch's pip
    # package ships its own fmt (a newer major version than spdlog 1.10 works with): mixing the
    # two would break the build or, worse, compile spdlog against two different fmt versions.
    include_directories(BEFORE SYSTEM "${BT_VENDORED_DEPS}/include")

    bt_vendored_interface(Eigen3::Eigen "Eigen/Core")
    bt_vendored_interface(fmt::fmt "fmt/format.h" FMT_HEADER_ONLY=1)
    bt_vendored_interface(spdlog::spdlog "spdlog/spdlog.h" SPDLOG_FMT_EXTERNAL=1)
    set_property(TARGET spdlog::spdlog PROPERTY INTERFACE_LINK_LIBRARIES fmt::fmt Threads::Threads)
    bt_vendored_interface(nlohmann_json::nlohmann_json "nlohmann/json.hpp")
    bt_vendored_interface(CLI11::CLI11 "CLI/CLI.hpp")
    bt_vendored_interface(Boost::headers "boost/random/sobol.hpp")
    bt_vendored_file(unused "include/LBFGSB.h")
    set(BT_LBFGSPP_INCLUDE_DIR "${BT_VENDORED_DEPS}/include")

    bt_vendored_archive(ZLIB::ZLIB libz.a zlib.h)
    bt_vendored_archive(SQLite::SQLite3 libsqlite3.a sqlite3.h Threads::Threads ${CMAKE_DL_LIBS} m)
    bt_vendored_archive(SQLiteCpp libSQLiteCpp.a SQLiteCpp/SQLiteCpp.h SQLite::SQLite3)
    set_property(TARGET SQLiteCpp PROPERTY IMPORTED_LINK_INTERFACE_LANGUAGES CXX)
    # Debian builds SQLiteCpp with column metadata; its headers declare those functions only then.
    set_property(TARGET SQLiteCpp PROPERTY INTERFACE_COMPILE_DEFINITIONS
                                           SQLITE_ENABLE_COLUMN_METADATA)
else()
    find_package(Eigen3 3.4 REQUIRED NO_MODULE)
    find_package(spdlog REQUIRED)
    find_package(nlohmann_json 3.10 REQUIRED)
    find_package(CLI11 REQUIRED)
    find_package(ZLIB REQUIRED)
    find_package(Boost 1.74 REQUIRED)
    find_package(SQLite3 REQUIRED)
    find_package(SQLiteCpp REQUIRED)
    # .npz datasets (engine/data/numpy_reader.cpp). Through pkg-config: Debian's CMake package
    # of libzip names tools (zipcmp, ...) that libzip-dev does not install.
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
    find_path(BT_LBFGSPP_INCLUDE_DIR LBFGSB.h REQUIRED)
endif()

# LibTorch. BT_TORCH_PREFIX is the fallback for a LibTorch whose CMake package cannot be used
# (PyTorch's pip package wants a CUDA toolkit matching its own to configure): it takes the
# libraries and headers straight from PREFIX/lib and PREFIX/include, as that package lays them out.
set(BT_TORCH_PREFIX "" CACHE PATH
    "Use LibTorch from PREFIX/lib and PREFIX/include without its CMake package (empty: find_package(Torch))")
set(BT_TORCH_CXX11_ABI 1 CACHE STRING
    "With BT_TORCH_PREFIX: the _GLIBCXX_USE_CXX11_ABI LibTorch was built with (torch.compiled_with_cxx11_abi())")
if(BT_TORCH_PREFIX)
    get_filename_component(BT_TORCH_PREFIX "${BT_TORCH_PREFIX}" ABSOLUTE)
    set(torch_lib "${BT_TORCH_PREFIX}/lib")
    foreach(file lib/libtorch.so lib/libtorch_cpu.so lib/libc10.so include/torch/script.h
                 include/torch/csrc/api/include/torch/torch.h)
        if(NOT EXISTS "${BT_TORCH_PREFIX}/${file}")
            message(FATAL_ERROR "BT_TORCH_PREFIX=${BT_TORCH_PREFIX} lacks ${file}")
        endif()
    endforeach()
    set(TORCH_INCLUDE_DIRS "${BT_TORCH_PREFIX}/include"
                           "${BT_TORCH_PREFIX}/include/torch/csrc/api/include")
    set(TORCH_LIBRARIES "${torch_lib}/libtorch.so" "${torch_lib}/libtorch_cpu.so"
                        "${torch_lib}/libc10.so")
    if(EXISTS "${torch_lib}/libtorch_cuda.so")
        # Nothing of ours calls into torch_cuda directly, but it registers the CUDA backend when
        # it loads: keep it on the link line even where the linker drops unused libraries.
        list(APPEND TORCH_LIBRARIES "-Wl,--no-as-needed" "${torch_lib}/libtorch_cuda.so"
                                    "${torch_lib}/libc10_cuda.so" "-Wl,--as-needed")
    endif()
    # LibTorch's C++ ABI must be every target's, the LibTorch-free libraries included.
    set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=${BT_TORCH_CXX11_ABI}")
    add_compile_definitions(_GLIBCXX_USE_CXX11_ABI=${BT_TORCH_CXX11_ABI})
    message(STATUS "LibTorch from ${BT_TORCH_PREFIX} without its CMake package: ${TORCH_LIBRARIES}")
else()
    find_package(Torch REQUIRED)
    message(STATUS "LibTorch ${Torch_VERSION} from ${Torch_DIR}; TORCH_CXX_FLAGS: ${TORCH_CXX_FLAGS}")
endif()
