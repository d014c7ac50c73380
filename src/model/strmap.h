/*
 * A string → pointer hash map for the model build (keys are borrowed and must
 * outlive the map; the model keeps them in its arena). Used to index routes by
 * parent Gateway and target groups by id so that building stays linear.
 */
#ifndef GWSYNC_MODEL_STRMAP_H
#define GWSYNC_MODEL_STRMAP_H

#include "gwsync/core.h"

typedef struct gws_model_strmap gws_model_strmap;

int gws_model__strmap_new(gws_model_strmap **out);
void gws_model__strmap_free(gws_model_strmap *map);
/* NULL when absent. */
void *gws_model__strmap_get(const gws_model_strmap *map, const char *key);
/* Inserts or replaces. */
int gws_model__strmap_put(gws_model_strmap *map, const char *key, void *value);
void gws_model__strmap_clear(gws_model_strmap *map);

#endif
