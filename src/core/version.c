/* Version strings; the commit comes from the build (see src/CMakeLists.txt). */
#include "gwsync/core.h"

#ifndef GWS_VERSION_STRING
#define GWS_VERSION_STRING "0.0.0"
#endif
#ifndef GWS_GIT_COMMIT
#define GWS_GIT_COMMIT "unknown"
#endif

const char *gws_version(void)
{
	return GWS_VERSION_STRING;
}

const char *gws_git_commit(void)
{
	return GWS_GIT_COMMIT;
}
