/*
 * Fuzz the AWS shared config/credentials file parser and its lookups.
 */
#include <stddef.h>
#include <stdint.h>

#include "aws/ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gws_aws_ini *ini = NULL;
	if (gws_aws__ini_parse(&ini, (const char *)data, size, "fuzz") == 0) {
		(void)gws_aws__ini_get(ini, "default", "region");
		(void)gws_aws__ini_get(ini, "profile a", "credential_process");
		(void)gws_aws__ini_get_sub(ini, "services a", "ec2", "endpoint_url");
		(void)gws_aws__ini_has_section(ini, "default");
	}
	gws_aws__ini_free(ini);
	return 0;
}
