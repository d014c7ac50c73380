/*
 * Test helper: forget every AWS_* environment variable, so that a test sees
 * only the settings it makes itself. Header-only for the aws tests.
 */
#ifndef GWS_TEST_AWS_ENV_H
#define GWS_TEST_AWS_ENV_H

#include <stdlib.h>
#include <string.h>

extern char **environ;

/* 0, or -1 when a variable's name is too long to copy (the test fails). */
static inline int aws_env_clear(void)
{
	for (;;) {
		char **e, name[256];
		size_t n;

		for (e = environ; *e; e++)
			if (strncmp(*e, "AWS_", 4) == 0)
				break;
		if (*e == NULL)
			return 0;
		n = strcspn(*e, "=");
		if (n >= sizeof(name))
			return -1;
		memcpy(name, *e, n);
		name[n] = '\0';
		unsetenv(name);
	}
}

#endif
