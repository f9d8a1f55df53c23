# Every third-party dependency of the build, found in one place.
# Debian 12 packages: see scripts/setup.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# Boost.DLL is header-only when it uses std::filesystem.
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
add_library(operator_boost_dll INTERFACE)
target_link_libraries(operator_boost_dll INTERFACE Boost::headers ${CMAKE_DL_LIBS})
target_compile_definitions(operator_boost_dll INTERFACE BOOST_DLL_USE_STD_FS)

find_package(yaml-cpp REQUIRED)
find_package(spdlog REQUIRED)
find_package(CURL REQUIRED)
# The webhook signature (HMAC-SHA256).
find_package(OpenSSL REQUIRED)
find_package(nlohmann_json 3 REQUIRED)

# simdjson: Debian ships a CMake config; fall back to pkg-config.
find_package(simdjson QUIET)
if(NOT TARGET simdjson::simdjson)
  pkg_check_modules(SIMDJSON REQUIRED IMPORTED_TARGET simdjson)
  add_library(simdjson::simdjson ALIAS PkgConfig::SIMDJSON)
endif()

# SOCI 4.0.3 on Debian ships no CMake config.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
add_library(operator_soci INTERFACE)
target_include_directories(operator_soci SYSTEM INTERFACE ${SOCI_INCLUDE_DIR})
target_link_libraries(operator_soci INTERFACE ${SOCI_SQLITE3_LIBRARY} ${SOCI_CORE_LIBRARY} ${CMAKE_DL_LIBS})

# cpp-httplib ships no CMake config on Debian 12; its pkg-config file links the compiled library.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

if(OPERATOR_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(OPERATOR_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
