/* Core-private: scrubbing part of a buffer (core/print.c appends to one). */
#ifndef GWSYNC_CORE_SECRET_H
#define GWSYNC_CORE_SECRET_H

#include "gwsync/core.h"

/* gws_secret_scrub on the bytes of `buf` from `start` to its end. */
int gws_secret__scrub_from(gws_buf *buf, size_t start);

#endif
