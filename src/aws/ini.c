/*
 * A line parser for the AWS shared config and credentials files.
 */
#include "aws/ini.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
	const char *section;
	const char *key;
	const char *subkey; /* NULL for a plain key */
	const char *value;
} ini_entry;

struct gws_aws_ini {
	gws_arena *arena;
	ini_entry *entries;
	size_t count, cap;
	const char **sections;
	size_t nsections, sections_cap;
	size_t skipped;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Trim blanks at both ends of [*s, *s + *len). */
static void trim(const char **s, size_t *len)
{
	while (*len > 0 && is_blank(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_blank((*s)[*len - 1]))
		(*len)--;
}

static char *lower_dup(gws_arena *a, const char *s, size_t len)
{
	char *d = gws_arena_strndup(a, s, len);
	if (d != NULL)
		for (char *p = d; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return d;
}

static int add_entry(gws_aws_ini *ini, const char *section, const char *key, const char *subkey,
                     const char *value, const char *origin)
{
	if (ini->count == GWS_AWS_INI_MAX_ENTRIES)
		return gws_error_set(GWS_ETOOBIG, "%s: more than %u settings", origin,
		                     (unsigned)GWS_AWS_INI_MAX_ENTRIES);
	if (ini->count == ini->cap) {
		size_t ncap = ini->cap ? ini->cap * 2 : 32;
		ini_entry *n = gws_reallocarray(ini->entries, ncap, sizeof(*n));
		if (n == NULL)
			return GWS_ENOMEM;
		ini->entries = n;
		ini->cap = ncap;
	}
	ini->entries[ini->count++] = (ini_entry){section, key, subkey, value};
	return 0;
}

static int add_section(gws_aws_ini *ini, const char *name)
{
	if (ini->nsections == ini->sections_cap) {
		size_t ncap = ini->sections_cap ? ini->sections_cap * 2 : 16;
		const char **n = gws_reallocarray(ini->sections, ncap, sizeof(*n));
		if (n == NULL)
			return GWS_ENOMEM;
		ini->sections = n;
		ini->sections_cap = ncap;
	}
	ini->sections[ini->nsections++] = name;
	return 0;
}

/* Parse state carried from line to line. */
typedef struct {
	const char *section;  /* NULL before the first section header */
	const char *last_key; /* key of the previous plain entry in this section */
	bool last_key_empty;  /* its value was empty: indented lines are sub-keys */
	size_t last_index;    /* its entry */
	/* The value of that entry while continuation lines are added to it: it
	 * is copied into the arena once, when the next other line (or the end)
	 * comes, so a value of n lines costs O(size), not a copy per line. */
	gws_buf value;
	bool continued;
} ini_state;

/* Stores a value grown by continuation lines in its entry. */
static int flush_value(gws_aws_ini *ini, ini_state *st)
{
	char *v;

	if (!st->continued)
		return 0;
	st->continued = false;
	if (!(v = gws_arena_strndup(ini->arena, gws_buf_cstr(&st->value), st->value.size)))
		return GWS_ENOMEM;
	ini->entries[st->last_index].value = v;
	gws_buf_clear(&st->value);
	return 0;
}

/* A continuation line: part of the previous entry's value. */
static int continue_value(gws_aws_ini *ini, ini_state *st, const char *line, size_t len)
{
	int err;

	if (!st->continued) {
		st->continued = true;
		gws_buf_clear(&st->value);
		if ((err = gws_buf_puts(&st->value, ini->entries[st->last_index].value)) < 0)
			return err;
	}
	if ((err = gws_buf_putc(&st->value, '\n')) < 0)
		return err;
	return gws_buf_put(&st->value, line, len);
}

static int parse_line(gws_aws_ini *ini, ini_state *st, const char *line, size_t len,
                      const char *origin)
{
	bool indented = len > 0 && is_blank(line[0]);
	const char *eq, *k, *v;
	size_t klen, vlen;
	char *key, *value;
	int err;

	trim(&line, &len);
	if (len == 0 || line[0] == '#' || line[0] == ';')
		return 0;
	/* An indented line under a key with a value continues that value. */
	if (indented && st->section != NULL && st->last_key != NULL && !st->last_key_empty)
		return continue_value(ini, st, line, len);
	if ((err = flush_value(ini, st)) < 0)
		return err;
	if (line[0] == '[' && !indented) {
		const char *name = line + 1;
		size_t nlen;
		const char *close = memchr(line, ']', len);
		if (close == NULL) {
			ini->skipped++;
			st->section = NULL; /* keys under a broken header belong nowhere */
			return 0;
		}
		nlen = (size_t)(close - name);
		trim(&name, &nlen);
		if (!(st->section = gws_arena_strndup(ini->arena, name, nlen)))
			return GWS_ENOMEM;
		st->last_key = NULL;
		return add_section(ini, st->section);
	}
	eq = memchr(line, '=', len);
	if (st->section == NULL || eq == NULL) {
		ini->skipped++;
		return 0;
	}
	k = line;
	klen = (size_t)(eq - line);
	v = eq + 1;
	vlen = len - klen - 1;
	trim(&k, &klen);
	trim(&v, &vlen);
	if (klen == 0) {
		ini->skipped++;
		return 0;
	}
	key = lower_dup(ini->arena, k, klen);
	value = gws_arena_strndup(ini->arena, v, vlen);
	if (key == NULL || value == NULL)
		return GWS_ENOMEM;
	if (indented && st->last_key != NULL && st->last_key_empty)
		return add_entry(ini, st->section, st->last_key, key, value, origin);
	st->last_key = key;
	st->last_key_empty = vlen == 0;
	st->last_index = ini->count;
	return add_entry(ini, st->section, key, NULL, value, origin);
}

int gws_aws__ini_parse(gws_aws_ini **out, const char *text, size_t len, const char *origin)
{
	gws_aws_ini *ini = NULL;
	ini_state st = {NULL, NULL, false, 0, GWS_BUF_INIT(GWS_AWS_INI_MAX_FILE), false};
	size_t pos = 0;
	int err;

	*out = NULL;
	if (len > GWS_AWS_INI_MAX_FILE)
		return gws_error_set(GWS_ETOOBIG, "%s: larger than %u bytes", origin,
		                     (unsigned)GWS_AWS_INI_MAX_FILE);
	if ((ini = gws_calloc(1, sizeof(*ini))) == NULL)
		return GWS_ENOMEM;
	if ((err = gws_arena_new(&ini->arena)) < 0)
		goto cleanup;
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - line) : len - pos;
		pos += llen + (nl ? 1 : 0);
		if (llen > GWS_CAP_LINE || memchr(line, '\0', llen) != NULL) {
			ini->skipped++;
			continue;
		}
		if ((err = parse_line(ini, &st, line, llen, origin)) < 0)
			goto cleanup;
	}
	if ((err = flush_value(ini, &st)) < 0)
		goto cleanup;
	*out = ini;
	ini = NULL;
	err = 0;
cleanup:
	gws_buf_dispose(&st.value);
	gws_aws__ini_free(ini);
	return err;
}

int gws_aws__ini_load(gws_aws_ini **out, const char *path)
{
	gws_buf buf = GWS_BUF_INIT(GWS_AWS_INI_MAX_FILE);
	struct stat sb;
	int err;

	*out = NULL;
	if (stat(path, &sb) != 0 && errno == ENOENT)
		return gws_aws__ini_parse(out, "", 0, path);
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return gws_error_set(GWS_EINVALID, "%s: is a directory", path);
	if ((err = gws_buf_read_file(&buf, path)) < 0) {
		if (err == GWS_ETOOBIG)
			gws_error_set(err, "%s: larger than %u bytes", path,
			              (unsigned)GWS_AWS_INI_MAX_FILE);
		return err;
	}
	err = gws_aws__ini_parse(out, buf.ptr ? buf.ptr : "", buf.size, path);
	gws_buf_dispose(&buf);
	return err;
}

void gws_aws__ini_free(gws_aws_ini *ini)
{
	if (ini == NULL)
		return;
	gws_arena_free(ini->arena);
	gws_free(ini->entries);
	gws_free(ini->sections);
	gws_free(ini);
}

static const char *lookup(const gws_aws_ini *ini, const char *section, const char *key,
                          const char *subkey)
{
	char lkey[128], lsub[128];
	size_t i;

	if (ini == NULL || section == NULL || key == NULL || strlen(key) >= sizeof(lkey) ||
	    (subkey && strlen(subkey) >= sizeof(lsub)))
		return NULL;
	for (i = 0; key[i]; i++)
		lkey[i] = (char)tolower((unsigned char)key[i]);
	lkey[i] = '\0';
	if (subkey) {
		for (i = 0; subkey[i]; i++)
			lsub[i] = (char)tolower((unsigned char)subkey[i]);
		lsub[i] = '\0';
	}
	/* Last one wins: walk backwards. */
	for (i = ini->count; i-- > 0;) {
		const ini_entry *e = &ini->entries[i];
		if (strcmp(e->section, section) != 0 || strcmp(e->key, lkey) != 0)
			continue;
		if (subkey == NULL && e->subkey == NULL)
			return e->value;
		if (subkey != NULL && e->subkey != NULL && strcmp(e->subkey, lsub) == 0)
			return e->value;
	}
	return NULL;
}

const char *gws_aws__ini_get(const gws_aws_ini *ini, const char *section, const char *key)
{
	return lookup(ini, section, key, NULL);
}

const char *gws_aws__ini_get_sub(const gws_aws_ini *ini, const char *section, const char *key,
                                 const char *subkey)
{
	return subkey ? lookup(ini, section, key, subkey) : NULL;
}

bool gws_aws__ini_has_section(const gws_aws_ini *ini, const char *section)
{
	if (ini == NULL || section == NULL)
		return false;
	for (size_t i = 0; i < ini->nsections; i++)
		if (strcmp(ini->sections[i], section) == 0)
			return true;
	return false;
}

size_t gws_aws__ini_skipped(const gws_aws_ini *ini)
{
	return ini ? ini->skipped : 0;
}

size_t gws_aws__ini_memory(const gws_aws_ini *ini)
{
	return ini ? gws_arena_used(ini->arena) : 0;
}
