/*
 * kern.h -- basic kernel definitions shared by all of netstack/.
 *
 * netstack/ is host-independent: it may use freestanding headers
 * (<stddef.h>, <stdint.h>, <stdbool.h>, <string.h> for mem* and str*,
 * <errno.h> and <endian.h> for constants and inline byte swaps) and
 * rumpuser_* calls, nothing else.  tests/check-netstack-symbols.sh
 * enforces this on the object files.
 *
 * Errno values and socket constants are the host's (Linux) numbers: the
 * syscall ABI is Linux's, so values pass through untranslated.
 */
#ifndef _NETSTACK_KERN_KERN_H_
#define _NETSTACK_KERN_KERN_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <endian.h>

#include "rumpuser/rumpuser.h"

struct netstack;

#define __unused	__attribute__((__unused__))
#define __packed	__attribute__((__packed__))
#define __predict_true(x)	__builtin_expect(!!(x), 1)
#define __predict_false(x)	__builtin_expect(!!(x), 0)
#define __printflike(a, b)	__attribute__((__format__(__printf__, a, b)))

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define roundup(x, y)	(howmany(x, y) * (y))
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Byte order helpers with BSD names (network order is big endian). */
static inline uint16_t ntohs(uint16_t v) { return be16toh(v); }
static inline uint16_t htons(uint16_t v) { return htobe16(v); }
static inline uint32_t ntohl(uint32_t v) { return be32toh(v); }
static inline uint32_t htonl(uint32_t v) { return htobe32(v); }

/* Unaligned big-endian accessors for wire formats. */
static inline uint16_t
be16dec(const void *p)
{
	const uint8_t *b = p;
	return (uint16_t)((b[0] << 8) | b[1]);
}

static inline uint32_t
be32dec(const void *p)
{
	const uint8_t *b = p;
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
	    ((uint32_t)b[2] << 8) | b[3];
}

static inline void
be16enc(void *p, uint16_t v)
{
	uint8_t *b = p;
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline void
be32enc(void *p, uint32_t v)
{
	uint8_t *b = p;
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* Diagnostics. */
void panic(const char *fmt, ...) __printflike(1, 2) __attribute__((noreturn));
void kprintf(const char *fmt, ...) __printflike(1, 2);
int ksnprintf(char *buf, size_t len, const char *fmt, ...) __printflike(3, 4);

#define KASSERT(e)							\
	do {								\
		if (__predict_false(!(e)))				\
			panic("kernel assertion \"%s\" failed: %s:%d",	\
			    #e, __FILE__, __LINE__);			\
	} while (0)

#define KASSERTMSG(e, ...)						\
	do {								\
		if (__predict_false(!(e)))				\
			panic(__VA_ARGS__);				\
	} while (0)

/*
 * Kernel memory.  kmem_alloc never fails for sizes up to KMEM_MAXSIZE
 * (it panics on host exhaustion, like NetBSD's KM_SLEEP); kmem_zalloc
 * zeroes.  Every allocation is counted so tests can assert leak-free
 * teardown with kmem_inuse().
 */
#define KMEM_MAXSIZE	(64u * 1024 * 1024)
void *kmem_alloc(size_t len);
void *kmem_zalloc(size_t len);
void kmem_free(void *p, size_t len);
/* Allocation that may fail (sizes from the network or a peer). => NULL */
void *kmem_tryalloc(size_t len);
uint64_t kmem_inuse(void);

/* Random numbers from the host. */
uint32_t cprng_u32(void);
uint64_t cprng_u64(void);
void cprng_bytes(void *buf, size_t len);

#endif /* _NETSTACK_KERN_KERN_H_ */
