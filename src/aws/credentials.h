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
#include "gwsync/aws.h"

struct gws_http;

/* Refresh temporary credentials this long before they expire. */
#define GWS_AWS_REFRESH_WINDOW 300

/* Test hook: the clock the provider uses (NULL restores time()). */
void gws_aws__set_clock(time_t (*fn)(void));
time_t gws_aws__now(void);

/* "2026-11-26T04:24:44Z" (also with fractional seconds or a +00:00 offset). */
int gws_aws__parse_iso8601(time_t *out, const char *s);

/* Fill `out` from the four strings (copies them, registers the secrets). */
int gws_aws__credentials_set(gws_aws_credentials *out, const char *akid, const char *secret,
                             const char *token, time_t expiration, const char *provider);

/* Parse the JSON the container endpoint, IMDS and credential_process return.
 * `token_field` is "Token" or "SessionToken". Version is checked when
 * `want_version` is set. `what` names the source in errors. */
int gws_aws__credentials_from_json(gws_aws_credentials *out, const char *json, size_t len,
                                   const char *token_field, bool want_version, const char *what,
                                   const char *provider);

int gws_aws__cred_process(gws_aws_credentials *out, const char *command_line);
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
