# operator_add_pack(<name> SOURCES <file>...)
#
# Builds an invariant pack, in C or C++: a MODULE library named <name>.so
# that includes the SDK and exports exactly one symbol, op_pack_entry. Used
# both inside the operator tree and by third parties through
# find_package(OperatorSDK).
function(operator_add_pack name)
  cmake_parse_arguments(PACK "" "" "SOURCES" ${ARGN})
  if(NOT PACK_SOURCES)
    message(FATAL_ERROR "operator_add_pack(${name}): SOURCES is required")
  endif()
  add_library(${name} MODULE ${PACK_SOURCES})
  target_link_libraries(${name} PRIVATE Operator::SDK)
  # plugin.hpp needs C++20; a pack in C (a project of LANGUAGES C) has no
  # C++ compiler to ask it of.
  get_property(_operator_languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if("CXX" IN_LIST _operator_languages)
    target_compile_features(${name} PRIVATE cxx_std_20)
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${name} PRIVATE
    "LINKER:--version-script=${OPERATOR_SDK_PACK_MAP}"
    "LINKER:--no-undefined")
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${OPERATOR_SDK_PACK_MAP}")
  # Inside the operator tree every pack lands in one folder, so that
  # `--plugin-dir build/packs` finds them all.
  if(OPERATOR_PACK_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${OPERATOR_PACK_OUTPUT_DIR})
  endif()
endfunction()
