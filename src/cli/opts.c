/*
 * A table-driven option parser. Each command declares its options once; the
 * same table drives parsing, the GWSYNC_* environment twins and --help, so
 * they cannot drift apart.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	gws_buf msg = GWS_BUF_INIT(GWS_CAP_LINE);
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = gws_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	gws_print(stderr, "gwsync%s%s: %s", cmd ? " " : "", cmd ? cmd : "",
	          error < 0 ? "invalid usage" : gws_buf_cstr(&msg));
	gws_print(stderr, "Try 'gwsync%s%s --help'.", cmd ? " " : "", cmd ? cmd : "");
	gws_buf_dispose(&msg);
	return CLI_EXIT_USAGE;
}

static void env_name(char *out, size_t size, const char *name)
{
	size_t i = 0;

	snprintf(out, size, "GWSYNC_");
	for (i = strlen(out); *name && i + 1 < size; name++, i++)
		out[i] = *name == '-' ? '_' : (char)toupper((unsigned char)*name);
	out[i] = '\0';
}

static bool choice_ok(const char *choices, const char *value)
{
	size_t n = strlen(value);

	for (const char *p = choices; p && *p;) {
		size_t len = strcspn(p, "|");

		if (len == n && strncmp(p, value, n) == 0)
			return true;
		p += len;
		if (*p == '|')
			p++;
	}
	return false;
}

static int set_value(const cli_command_info *cmd, const cli_opt *o, const char *value,
                     const char *source)
{
	switch (o->kind) {
	case CLI_OPT_FLAG:
		if (!value || strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
			*(bool *)o->dest = true;
		else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
			*(bool *)o->dest = false;
		else
			return cli_usage_error(cmd->name,
			                       "%s --%s: expected true or false, got '%s'", source,
			                       o->name, value);
		return 0;
	case CLI_OPT_STRING:
		if (!*value)
			return cli_usage_error(cmd->name, "%s --%s: empty value", source, o->name);
		*(const char **)o->dest = value;
		return 0;
	case CLI_OPT_CHOICE:
		if (!choice_ok(o->choices, value))
			return cli_usage_error(cmd->name, "%s --%s: '%s' is not one of %s", source,
			                       o->name, value, o->choices);
		*(const char **)o->dest = value;
		return 0;
	case CLI_OPT_INT:
		if (gws_parse_long((long *)o->dest, value, o->min, o->max) < 0)
			return cli_usage_error(cmd->name, "%s --%s: %s", source, o->name,
			                       gws_error_last());
		return 0;
	case CLI_OPT_DURATION:
		if (gws_parse_duration_ms((long long *)o->dest, value) < 0)
			return cli_usage_error(cmd->name, "%s --%s: %s", source, o->name,
			                       gws_error_last());
		return 0;
	}
	return CLI_EXIT_USAGE;
}

static const cli_opt *find_long(const cli_opt *opts, const char *name, size_t len, bool *negated)
{
	*negated = false;
	for (const cli_opt *o = opts; o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	if (len > 3 && strncmp(name, "no-", 3) == 0) {
		for (const cli_opt *o = opts; o->name; o++)
			if (o->kind == CLI_OPT_FLAG && strlen(o->name) == len - 3 &&
			    strncmp(o->name, name + 3, len - 3) == 0) {
				*negated = true;
				return o;
			}
	}
	return NULL;
}

static const cli_opt *find_short(const cli_opt *opts, char c)
{
	for (const cli_opt *o = opts; o->name; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static int apply_env(const cli_command_info *cmd, const cli_opt *opts, const bool *given)
{
	char name[128];
	int error;

	for (size_t i = 0; opts[i].name; i++) {
		const char *value;

		if (given[i] || opts[i].no_env)
			continue;
		env_name(name, sizeof(name), opts[i].name);
		value = getenv(name);
		if (!value || !*value)
			continue;
		if ((error = set_value(cmd, &opts[i], value, name)) != 0)
			return error;
	}
	return 0;
}

#define CLI_MAX_OPTS 64

int cli_parse(const cli_command_info *cmd, const cli_opt *opts, int argc, char **argv)
{
	bool given[CLI_MAX_OPTS] = {false};
	size_t nopts = 0;
	int error;

	while (opts[nopts].name)
		nopts++;
	if (nopts > CLI_MAX_OPTS) {
		gws_print(stderr, "gwsync: internal error: too many options for '%s'", cmd->name);
		return CLI_EXIT_INTERNAL;
	}
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *value = NULL;
		const cli_opt *o;
		bool negated = false;

		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			cli_print_help(cmd, opts);
			return -1;
		}
		if (strncmp(arg, "--", 2) == 0 && arg[2]) {
			const char *eq = strchr(arg + 2, '=');
			size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);

			o = find_long(opts, arg + 2, len, &negated);
			if (!o)
				return cli_usage_error(cmd->name, "unknown option '%.*s'",
				                       (int)len + 2, arg);
			if (eq)
				value = eq + 1;
		} else if (arg[0] == '-' && arg[1] && !arg[2]) {
			o = find_short(opts, arg[1]);
			if (!o)
				return cli_usage_error(cmd->name, "unknown option '%s'", arg);
		} else {
			return cli_usage_error(cmd->name, "unexpected argument '%s'", arg);
		}
		if (o->kind == CLI_OPT_FLAG) {
			if (negated && value)
				return cli_usage_error(cmd->name, "--no-%s takes no value",
				                       o->name);
			if (negated)
				value = "false";
		} else if (!value) {
			if (i + 1 >= argc)
				return cli_usage_error(cmd->name, "option '--%s' needs a value",
				                       o->name);
			value = argv[++i];
		}
		if ((error = set_value(cmd, o, value, "option")) != 0)
			return error;
		given[o - opts] = true;
	}
	return apply_env(cmd, opts, given);
}

void cli_print_help(const cli_command_info *cmd, const cli_opt *opts)
{
	gws_buf line = GWS_BUF_INIT(GWS_CAP_LINE);
	char env[128];

	gws_print(stdout, "Usage: %s", cmd->usage);
	gws_print(stdout, "%s", "");
	gws_print(stdout, "%s", cmd->summary);
	if (cmd->details) {
		gws_print(stdout, "%s", "");
		gws_print_lines(stdout, cmd->details, strlen(cmd->details));
	}
	gws_print(stdout, "%s", "");
	gws_print(stdout, "Options:");
	for (const cli_opt *o = opts; o->name; o++) {
		char left[96];

		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
			         o->metavar ? " " : "", o->metavar ? o->metavar : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->metavar ? " " : "",
			         o->metavar ? o->metavar : "");
		gws_buf_clear(&line);
		/* A long option name pushes its help onto the next line. */
		if (strlen(left) > 30) {
			gws_print(stdout, "  %s", left);
			left[0] = '\0';
		}
		if (gws_buf_printf(&line, "  %-30s %s", left, o->help) < 0)
			break;
		if (!o->no_env) {
			env_name(env, sizeof(env), o->name);
			if (gws_buf_printf(&line, " [env %s]", env) < 0)
				break;
		}
		gws_print(stdout, "%s", gws_buf_cstr(&line));
	}
	gws_print(stdout, "  %-30s %s", "-h, --help", "show this help and exit");
	gws_buf_dispose(&line);
}
