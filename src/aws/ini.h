/*
 * The AWS shared config and credentials file format: INI as the SDKs read
 * it. Sections "[name]", "key = value" lines, comment lines starting with
 * '#' or ';', and indented "subkey = value" lines under a key with an empty
 * value (the nested form used by "[services x]" sections). Keys are
 * case-insensitive (stored lower case); a later duplicate wins.
 *
 * Parsing is capped (file size, line length, entry count) and never fails
 * on odd lines: they are skipped, as the SDKs skip them, and counted.
 */
#ifndef GWSYNC_AWS_INI_H
#define GWSYNC_AWS_INI_H

#include "gwsync/core.h"

#define GWS_AWS_INI_MAX_FILE    (1024u * 1024) /* bytes */
#define GWS_AWS_INI_MAX_ENTRIES 10000

typedef struct gws_aws_ini gws_aws_ini;

/* Parse `len` bytes of `text`. `origin` names the file in error messages. */
int gws_aws__ini_parse(gws_aws_ini **out, const char *text, size_t len, const char *origin);
/* Read and parse `path`. A missing file gives an empty result (0); an
 * unreadable or oversized one an error naming the path. */
int gws_aws__ini_load(gws_aws_ini **out, const char *path);
void gws_aws__ini_free(gws_aws_ini *ini);

/* The value of `key` in `section` (exact section name), NULL when absent. */
const char *gws_aws__ini_get(const gws_aws_ini *ini, const char *section, const char *key);
/* The value of the nested `subkey` under `key` in `section`, NULL when absent. */
const char *gws_aws__ini_get_sub(const gws_aws_ini *ini, const char *section, const char *key,
                                 const char *subkey);
bool gws_aws__ini_has_section(const gws_aws_ini *ini, const char *section);
/* Lines that were not understood (for a debug log line). */
size_t gws_aws__ini_skipped(const gws_aws_ini *ini);
/* Bytes of text the parsed file holds (for tests: linear in the file's size). */
size_t gws_aws__ini_memory(const gws_aws_ini *ini);

#endif
