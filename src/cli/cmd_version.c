/* `gwsync version`: what was built, from which commit, against which libraries. */
#include <curl/curl.h>
#include <git2.h>
#include <jansson.h>
#include <libxml/xmlversion.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <yaml.h>

#include "cli/cli.h"

static const cli_command_info info = {
        "version",
        "Print the gwsync version, the commit it was built from and the library versions.",
        "gwsync version",
        NULL,
};

int cli_cmd_version(int argc, char **argv)
{
	static const cli_opt opts[] = {{.name = NULL}};
	int major = 0, minor = 0, rev = 0, error;

	if ((error = cli_parse(&info, opts, argc, argv)) != 0)
		return error < 0 ? CLI_EXIT_OK : error;
	git_libgit2_version(&major, &minor, &rev);
	printf("gwsync %s (commit %s)\n", gws_version(), gws_git_commit());
	printf("  libgit2  %d.%d.%d\n", major, minor, rev);
	printf("  libyaml  %s\n", yaml_get_version_string());
	printf("  jansson  %s\n", jansson_version_str());
	printf("  libcurl  %s\n", curl_version_info(CURLVERSION_NOW)->version);
	printf("  openssl  %s\n", OpenSSL_version(OPENSSL_VERSION));
	printf("  libxml2  %s\n", LIBXML_DOTTED_VERSION);
	return CLI_EXIT_OK;
}
