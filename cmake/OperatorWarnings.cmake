# Warnings and sanitizers shared by every target of this build.
add_compile_options(-Wall -Wextra)
if(OPERATOR_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
