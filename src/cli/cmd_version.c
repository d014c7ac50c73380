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
	gws_print(stdout, "gwsync %s (commit %s)", gws_version(), gws_git_commit());
	gws_print(stdout, "  libgit2  %d.%d.%d", major, minor, rev);
	gws_print(stdout, "  libyaml  %s", yaml_get_version_string());
	gws_print(stdout, "  jansson  %s", jansson_version_str());
	gws_print(stdout, "  libcurl  %s", curl_version_info(CURLVERSION_NOW)->version);
	gws_print(stdout, "  openssl  %s", OpenSSL_version(OPENSSL_VERSION));
	gws_print(stdout, "  libxml2  %s", LIBXML_DOTTED_VERSION);
	return CLI_EXIT_OK;
}
