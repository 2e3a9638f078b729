/*
 * subr.c -- diagnostics, kernel memory and random numbers.
 */
#include "netstack/kern/kern.h"

#include <stdarg.h>

void
panic(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	rumpuser_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rumpuser_panic(buf);
}

void
kprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	rumpuser_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rumpuser_putstr(buf);
}

int
ksnprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rumpuser_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

/* Bytes allocated through kmem_* and not yet freed, process-wide. */
static uint64_t kmem_bytes;

void *
kmem_tryalloc(size_t len)
{
	void *p;

	if (len > KMEM_MAXSIZE)
		return NULL;
	if (rumpuser_malloc(len, 0, &p) != 0)
		return NULL;
	__atomic_add_fetch(&kmem_bytes, len, __ATOMIC_RELAXED);
	return p;
}

void *
kmem_alloc(size_t len)
{
	void *p;

	KASSERTMSG(len <= KMEM_MAXSIZE, "kmem_alloc: %zu bytes", len);
	p = kmem_tryalloc(len);
	if (p == NULL)
		panic("kmem_alloc: out of memory (%zu bytes)", len);
	return p;
}

void *
kmem_zalloc(size_t len)
{
	void *p = kmem_alloc(len);

	memset(p, 0, len);
	return p;
}

void
kmem_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	__atomic_sub_fetch(&kmem_bytes, len, __ATOMIC_RELAXED);
	rumpuser_free(p, len);
}

uint64_t
kmem_inuse(void)
{
	return __atomic_load_n(&kmem_bytes, __ATOMIC_RELAXED);
}

uint32_t
cprng_u32(void)
{
	uint32_t v;

	rumpuser_getrandom(&v, sizeof(v));
	return v;
}

uint64_t
cprng_u64(void)
{
	uint64_t v;

	rumpuser_getrandom(&v, sizeof(v));
	return v;
}

void
cprng_bytes(void *buf, size_t len)
{
	rumpuser_getrandom(buf, len);
}
