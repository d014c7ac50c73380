/*
 * The shard a sync run is (docs/operations.md, "Sharding"): --shard K/N, or
 * --shards N with K from JOB_COMPLETION_INDEX, which a Kubernetes Indexed
 * Job sets in each of its pods. Everything is checked before the run reads
 * anything, so a wrong setting costs no AWS call (exit 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/sync.h"

#define INDEX_ENV "JOB_COMPLETION_INDEX"

/* "K/N" with decimal K and N and nothing else around them. */
static bool parse_pair(const char *s, long *k, long *n)
{
	const char *slash = strchr(s, '/');
	char left[24];
	size_t len;

	if (!slash || (len = (size_t)(slash - s)) == 0 || len >= sizeof(left))
		return false;
	memcpy(left, s, len);
	left[len] = '\0';
	if (strspn(left, "0123456789") != len || !*(slash + 1) ||
	    strspn(slash + 1, "0123456789") != strlen(slash + 1))
		return false;
	return gws_parse_long(k, left, 0, GWS_RECONCILE_MAX_SHARDS) == 0 &&
	       gws_parse_long(n, slash + 1, 1, GWS_RECONCILE_MAX_SHARDS) == 0;
}

static int from_index(const char *cmd, long shards, long *k)
{
	const char *index = getenv(INDEX_ENV);

	/* One shard of one is shard 0, Indexed Job or not. */
	if ((!index || !*index) && shards == 1) {
		*k = 0;
		return 0;
	}
	if (!index || !*index)
		return cli_usage_error(
		        cmd,
		        "--shards %ld needs the shard's index: run it in a Kubernetes "
		        "Indexed Job (which sets " INDEX_ENV ") or give --shard K/%ld",
		        shards, shards);
	if (strspn(index, "0123456789") != strlen(index) ||
	    gws_parse_long(k, index, 0, shards - 1) < 0)
		return cli_usage_error(cmd,
		                       INDEX_ENV " '%s' is not a shard of --shards %ld (0..%ld)",
		                       index, shards, shards - 1);
	return 0;
}

int cli_shard_resolve(cli_shard *out, const char *cmd, const char *shard, long shards)
{
	long k = 0, n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (shard) {
		if (!parse_pair(shard, &k, &n) || k >= n)
			return cli_usage_error(cmd,
			                       "--shard '%s': expected K/N with 0 <= K < N <= %d "
			                       "(e.g. 1/4)",
			                       shard, GWS_RECONCILE_MAX_SHARDS);
		if (shards && shards != n)
			return cli_usage_error(cmd, "--shard %s and --shards %ld disagree", shard,
			                       shards);
	} else if (shards) {
		n = shards;
		if ((rc = from_index(cmd, shards, &k)) != 0)
			return rc;
	}
	/* One shard of one is the whole estate: the plain run, with its layout and lease. */
	if (n <= 1)
		return 0;
	out->shard.index = (unsigned)k;
	out->shard.count = (unsigned)n;
	snprintf(out->name, sizeof(out->name), "%ld-of-%ld", k, n);
	snprintf(out->folder, sizeof(out->folder), "shard-%ld-of-%ld", k, n);
	snprintf(out->title, sizeof(out->title), "shard %ld/%ld", k, n);
	return 0;
}

bool cli_shard_owns(void *ctx, const char *gateway)
{
	const cli_shard *s = ctx;

	return s->shard.count <= 1 ||
	       gws_reconcile_shard_of(gateway, s->shard.count) == s->shard.index;
}

void cli_shard_report(const cli_shard *s, gws_report_input *in)
{
	if (s->shard.count <= 1)
		return;
	in->shard = s->folder;
	in->owns_gateway = cli_shard_owns;
	in->owns_ctx = (void *)s;
	/* GatewayClasses (and parentless Routes) belong to no Gateway: shard 0 writes them. */
	in->shard_shared = s->shard.index == 0;
}
