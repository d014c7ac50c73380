/*
 * Which shard a stack belongs to (docs/operations.md, "Sharding"). Every
 * shard of an estate computes this on its own, so the function must give
 * the same answer on every machine and in every release: FNV-1a over the
 * bytes of "namespace/name", never the C library's hashing or an address.
 */
#include <stdint.h>

#include "reconcile/internal.h"

#define FNV64_OFFSET 14695981039346656037ULL
#define FNV64_PRIME  1099511628211ULL

unsigned gws_reconcile_shard_of(const char *stack, unsigned n)
{
	uint64_t h = FNV64_OFFSET;

	if (n <= 1 || !stack)
		return 0;
	for (const unsigned char *p = (const unsigned char *)stack; *p; p++) {
		h ^= *p;
		h *= FNV64_PRIME;
	}
	return (unsigned)(h % n);
}
