# One static library per engine folder, linked in layer order (docs/design/ARCHITECTURE.md,
# "Layers"). bt_engine_library(FOLDER [TORCH] DEPENDS folders... SOURCES files... [LIBS targets...])
# makes engine_FOLDER from engine/FOLDER, links the engine_ libraries of the folders it depends on
# (PUBLIC, so the closure follows) and checks at build time, before the library compiles, that
# every file of the folder includes only engine headers of itself and of that closure, and no Qt,
# ui/ or app/ header: an upward include fails the build with the file, the line and the folders it
# may use (cmake/CheckLayers.cmake). TORCH links LibTorch and uses its precompiled header.
include_guard(GLOBAL)

function(bt_engine_library folder)
    cmake_parse_arguments(L "TORCH" "" "DEPENDS;SOURCES;LIBS" ${ARGN})
    set(target engine_${folder})
    add_library(${target} STATIC ${L_SOURCES})
    bt_configure_target(${target})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
    set(allowed ${folder})
    foreach(dep IN LISTS L_DEPENDS)
        if(NOT TARGET engine_${dep})
            message(FATAL_ERROR "engine_${folder} depends on '${dep}', which has no library yet: "
                                "engine/CMakeLists.txt adds the folders bottom layer first")
        endif()
        target_link_libraries(${target} PUBLIC engine_${dep})
        get_target_property(dep_allowed engine_${dep} BT_LAYER_ALLOWED)
        list(APPEND allowed ${dep_allowed})
    endforeach()
    list(REMOVE_DUPLICATES allowed)
    list(SORT allowed)
    set_target_properties(${target} PROPERTIES BT_LAYER_ALLOWED "${allowed}" AUTOMOC OFF AUTOUIC OFF
                                               AUTORCC OFF)
    if(L_LIBS)
        target_link_libraries(${target} PUBLIC ${L_LIBS})
    endif()
    if(L_TORCH)
        target_link_libraries(${target} PUBLIC ${TORCH_LIBRARIES})
        target_include_directories(${target} SYSTEM PUBLIC ${TORCH_INCLUDE_DIRS})
        if(BT_TORCH_PCH)
            if(TARGET engine_models AND NOT folder STREQUAL "models")
                target_precompile_headers(${target} REUSE_FROM engine_models)
            else()
                target_precompile_headers(${target} PRIVATE <torch/torch.h>)
            endif()
        endif()
    endif()

    file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.h
         ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
    set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${target}_layers.stamp)
    string(REPLACE ";" "," allowed_arg "${allowed}")
    add_custom_command(
        OUTPUT ${stamp}
        COMMAND ${CMAKE_COMMAND} -DFOLDER=${folder} -DALLOWED=${allowed_arg}
                -DDIR=${CMAKE_CURRENT_SOURCE_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/CheckLayers.cmake
        COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
        DEPENDS ${sources} ${PROJECT_SOURCE_DIR}/cmake/CheckLayers.cmake
        COMMENT "Checking the includes of engine/${folder} against its layer"
        VERBATIM)
    add_custom_target(${target}_layers DEPENDS ${stamp})
    add_dependencies(${target} ${target}_layers)
endfunction()
