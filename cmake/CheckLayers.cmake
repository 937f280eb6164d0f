# cmake -DFOLDER=store -DALLOWED=core,events,report,store -DDIR=engine/store -P CheckLayers.cmake
# Fails (exit 1) when a .h or .cpp under DIR includes an engine header of a folder outside
# ALLOWED, or any Qt, ui/ or app/ header: the engine's layers (docs/design/ARCHITECTURE.md,
# "Layers"), enforced by the build (cmake/BtLayers.cmake runs this before each engine library).
cmake_minimum_required(VERSION 3.25)
if(NOT DEFINED FOLDER OR NOT DEFINED ALLOWED OR NOT DEFINED DIR)
    message(FATAL_ERROR "CheckLayers.cmake needs -DFOLDER, -DALLOWED and -DDIR")
endif()
get_filename_component(DIR "${DIR}" ABSOLUTE)
string(REPLACE "," ";" allowed "${ALLOWED}")
file(GLOB_RECURSE files ${DIR}/*.h ${DIR}/*.cpp)
set(problems "")
foreach(file IN LISTS files)
    file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include")
    file(RELATIVE_PATH shown ${DIR}/../.. ${file})
    foreach(line IN LISTS lines)
        if(line MATCHES "#[ \t]*include[ \t]*[\"<]engine/([A-Za-z0-9_]+)/")
            set(used ${CMAKE_MATCH_1})
            if(NOT used IN_LIST allowed)
                string(APPEND problems "\n  ${shown}: '${line}': engine/${FOLDER} may include "
                                       "engine/{${ALLOWED}} only, not engine/${used}")
            endif()
        elseif(line MATCHES "#[ \t]*include[ \t]*[\"<]((ui|app)/[^\">]*|Q[A-Za-z]+[\">/])")
            string(APPEND problems "\n  ${shown}: '${line}': the engine includes no Qt, ui/ or app/ "
                                   "header")
        endif()
    endforeach()
endforeach()
if(problems)
    message(FATAL_ERROR "engine/${FOLDER} breaks the engine's layers "
                        "(docs/design/ARCHITECTURE.md, \"Layers\"):${problems}")
endif()
