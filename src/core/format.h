/* Core-private: printf into memory from any allocator. */
#ifndef GWSYNC_CORE_FORMAT_H
#define GWSYNC_CORE_FORMAT_H

#include "gwsync/core.h"

/* Measures, allocates len+1 bytes with alloc(ctx, size) and formats into them.
 * NULL (with the last error set) when the format is invalid or alloc fails. */
char *gws_core__vformat(void *(*alloc)(void *ctx, size_t size), void *ctx, const char *fmt,
                        va_list ap) GWS_PRINTF(3, 0);

#endif
