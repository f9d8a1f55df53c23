# Warnings and sanitizers shared by every target of this build.
add_compile_options(-Wall -Wextra)
if(OPERATOR_SANITIZE)
  # vptr stays off: Debian's SOCI does not export the typeinfo of its
  # internal classes, which UBSan's vptr check would reference at link time.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
