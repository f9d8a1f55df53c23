# Warnings and sanitizers shared by every target of this build.
add_compile_options(-Wall -Wextra)
if(OPERATOR_SANITIZE)
  # vptr stays off: Debian's SOCI does not export the typeinfo of its
  # internal classes, which UBSan's vptr check would reference at link time.
  # -g1: the sanitizers' reports need file and line only, and full debug
  # info makes this build slower.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined -g1)
  add_link_options(-fsanitize=address,undefined)
endif()
if(OPERATOR_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "OPERATOR_FUZZ needs clang: configure with CC=clang CXX=clang++")
  endif()
  # Everything is instrumented for coverage; only the fuzz targets link
  # libFuzzer's main (tests/fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr
    -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
