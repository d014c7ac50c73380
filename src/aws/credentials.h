/*
 * Private interface of the credential providers (credentials.c holds the
 * chain and the cache; cred_*.c one provider family each).
 *
 * Every provider fills a gws_aws_credentials whose strings it allocates
 * (gws_aws_credentials_dispose frees them), registers the secret parts with
 * gws_secret_register as soon as it reads them, and returns:
 *   0              credentials found;
 *   GWS_ENOTFOUND  the provider is not configured (the chain moves on);
 *   other < 0      configured but failed (the chain stops with this error).
 */
#ifndef GWSYNC_AWS_CREDENTIALS_H
#define GWSYNC_AWS_CREDENTIALS_H

#include <time.h>

#include "aws/config.h"
#include "aws/http.h"
#include "gwsync/aws.h"

struct gws_http;

/* Refresh temporary credentials this long before they expire. */
#define GWS_AWS_REFRESH_WINDOW 300
/* After a failed refresh while the current set is still valid, wait this
 * long before trying again (doubling on each failure, up to the maximum)
 * instead of re-running the provider on every call. */
#define GWS_AWS_REFRESH_BACKOFF     5
#define GWS_AWS_REFRESH_BACKOFF_MAX 60

/* Test hook: the clock the provider uses (NULL restores time()). */
void gws_aws__set_clock(time_t (*fn)(void));
time_t gws_aws__now(void);

/* "2026-11-26T04:24:44Z" (also with fractional seconds or a +00:00 offset). */
int gws_aws__parse_iso8601(time_t *out, const char *s);
/* Decodes the Credentials of an STS <action> reply (AssumeRole,
 * AssumeRoleWithWebIdentity) into out; errors are GWS_EAUTH naming the
 * action, `subject` (e.g. the role ARN, may be NULL), AWS's code, message and
 * request id. */
int gws_aws__sts_credentials_reply(gws_aws_credentials *out, const gws_http_response *resp,
                                   const char *action, const char *subject, const char *provider);

/* Fill `out` from the four strings (copies them, registers the secrets). */
int gws_aws__credentials_set(gws_aws_credentials *out, const char *akid, const char *secret,
                             const char *token, time_t expiration, const char *provider);

/* Parse the JSON the container endpoint, IMDS and credential_process return.
 * `token_field` is "Token" or "SessionToken". Version is checked when
 * `want_version` is set. `what` names the source in errors. */
int gws_aws__credentials_from_json(gws_aws_credentials *out, const char *json, size_t len,
                                   const char *token_field, bool want_version, const char *what,
                                   const char *provider);

/* The profiles passed through while resolving a source_profile chain
 * (innermost last), for cycle detection. */
typedef struct gws_aws__profile_path {
	const char *name;
	const struct gws_aws__profile_path *prev;
} gws_aws__profile_path;

/* AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. */
int gws_aws__cred_env(gws_aws_credentials *out, const gws_aws_config *cfg);
/* Everything cfg->profile can supply: role_arn (web identity or AssumeRole),
 * static keys, credential_process. `path`: the profiles that led here (NULL
 * at the top). */
int gws_aws__cred_profile(gws_aws_credentials *out, const gws_aws_config *cfg,
                          struct gws_http *http, const gws_aws__profile_path *path);
/* Static keys of cfg->profile (credentials file, then config file). */
int gws_aws__cred_profile_keys(gws_aws_credentials *out, const gws_aws_config *cfg);
/* role_arn with source_profile or credential_source: STS AssumeRole. */
int gws_aws__cred_assume_role(gws_aws_credentials *out, const gws_aws_config *cfg,
                              struct gws_http *http, const gws_aws__profile_path *path);
/* STS RoleSessionName: 2-64 of [\w+=,.@-]. */
bool gws_aws__valid_session_name(const char *s);

/* Runs the command (no shell) in a process group of its own; the whole
 * group is killed when it has not exited with its result within 60 s. */
int gws_aws__cred_process(gws_aws_credentials *out, const char *command_line);
/* Test hook: the credential_process deadline in ms (<= 0 restores 60 s). */
void gws_aws__set_process_timeout(long ms);
/* Split a command line the way a POSIX shell would (quotes, backslashes), no expansion. */
int gws_aws__split_command(char ***argv_out, const char *line);
void gws_aws__free_argv(char **argv);

int gws_aws__cred_web_identity(gws_aws_credentials *out, const gws_aws_config *cfg,
                               struct gws_http *http, const char *role_arn, const char *token_file,
                               const char *session_name, const char *provider);
int gws_aws__cred_container(gws_aws_credentials *out, const gws_aws_config *cfg,
                            struct gws_http *http);
int gws_aws__cred_imds(gws_aws_credentials *out, const gws_aws_config *cfg, struct gws_http *http);
/* True when `url` may be used as AWS_CONTAINER_CREDENTIALS_FULL_URI. */
bool gws_aws__container_url_allowed(const char *url);

#endif
