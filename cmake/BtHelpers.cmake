# Shared build helpers: one place for warnings, sanitizers and test registration.

# bt_configure_target(TARGET): the project's warning set (errors in CI) and sanitizers.
function(bt_configure_target target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                             -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual)
    if(BT_WARNINGS_AS_ERRORS)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    if(BT_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined
                                                 -fno-omit-frame-pointer -fno-sanitize-recover=all)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()

# bt_add_qtest(NAME name SOURCES files... LIBS targets... [GUI] [TIMEOUT seconds] [LABELS ...])
# Builds one Qt Test executable and registers it with CTest. GUI tests run on the offscreen
# platform so that they need no display; engine tests use QTEST_GUILESS_MAIN and Qt Core only.
# Every test is labelled by its folder under tests/: the top-level folder (engine, ui, cli) and,
# below it, the folder itself (engine/config, engine/store, ...), so that `ctest -L engine` or
# `ctest -L engine/store` selects them (-L takes a regular expression); LABELS adds more.
function(bt_add_qtest)
    cmake_parse_arguments(T "GUI" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    bt_configure_target(${T_NAME})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
    # QT_NO_KEYWORDS: Qt's `slots`/`signals` macros break LibTorch headers; use Q_SLOTS.
    target_compile_definitions(${T_NAME} PRIVATE QT_NO_KEYWORDS
        BT_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}/tests")
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    file(RELATIVE_PATH folder "${PROJECT_SOURCE_DIR}/tests" "${CMAKE_CURRENT_SOURCE_DIR}")
    if(folder STREQUAL "" OR folder MATCHES "^\\.\\.")
        message(FATAL_ERROR "bt_add_qtest(${T_NAME}): tests live in a folder under tests/")
    endif()
    string(REGEX REPLACE "/.*" "" top "${folder}")
    set(labels ${top})
    if(NOT folder STREQUAL top)
        list(APPEND labels ${folder})
    endif()
    list(APPEND labels ${T_LABELS})
    set(env "QT_QPA_PLATFORM=offscreen" "BT_TEST_TMP=${CMAKE_CURRENT_BINARY_DIR}/tmp")
    set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} ENVIRONMENT "${env}"
                                              LABELS "${labels}")
endfunction()
