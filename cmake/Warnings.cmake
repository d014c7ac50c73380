# Warnings are set per target (gwsync_warnings), never globally, so the
# flags of dependencies and generated code stay untouched.
add_library(gwsync_warnings INTERFACE)
target_compile_options(gwsync_warnings INTERFACE
    -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wundef -Wpointer-arith -Wvla)
if(GWSYNC_WERROR)
    target_compile_options(gwsync_warnings INTERFACE -Werror)
endif()
