/* The --targets modes by name. */
#include <string.h>

#include "targets/internal.h"

static const char *const names[] = {"binding", "direct", "none"};

int gws_targets_mode_parse(gws_targets_mode *out, const char *s)
{
	for (size_t i = 0; i < GWS_ARRAY_SIZE(names); i++)
		if (s && strcmp(s, names[i]) == 0) {
			*out = (gws_targets_mode)i;
			return 0;
		}
	return gws_error_set(GWS_EINVALID, "targets mode '%s' is not one of binding, direct, none",
	                     s ? s : "");
}

const char *gws_targets_mode_name(gws_targets_mode mode)
{
	return (size_t)mode < GWS_ARRAY_SIZE(names) ? names[mode] : "unknown";
}
