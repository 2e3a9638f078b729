/*
 * rnflags.c -- flag-name tables (generated from rnflags.h) and their
 * rendering.
 */
#include <stdio.h>
#include <string.h>

#include "tools/common/rnflags.h"

#define RN_BIT_ENTRY(bit, name, letter)	{ (bit), (name), (letter) },
#define RN_BIT_END			{ 0, NULL, 0 }

const struct rn_bit rn_iff_bits[] = { RN_IFF_TABLE(RN_BIT_ENTRY) RN_BIT_END };
const struct rn_bit rn_ifcap_bits[] = {
	RN_IFCAP_TABLE(RN_BIT_ENTRY) RN_BIT_END
};
const struct rn_bit rn_in_iff_bits[] = {
	RN_IN_IFF_TABLE(RN_BIT_ENTRY) RN_BIT_END
};
const struct rn_bit rn_in6_iff_bits[] = {
	RN_IN6_IFF_TABLE(RN_BIT_ENTRY) RN_BIT_END
};
const struct rn_bit rn_rtf_bits[] = { RN_RTF_TABLE(RN_BIT_ENTRY) RN_BIT_END };

/* Append to buf at *off without overflowing; output truncates. */
static void
append(char *buf, size_t len, size_t *off, const char *s)
{
	size_t n = strlen(s);

	if (*off >= len)
		return;
	if (n > len - *off - 1)
		n = len - *off - 1;
	memcpy(buf + *off, s, n);
	*off += n;
	buf[*off] = '\0';
}

const char *
rn_snprintb(char *buf, size_t len, uint32_t val, const struct rn_bit *tab,
    int hexprefix)
{
	const struct rn_bit *b;
	char hex[16];
	size_t off = 0;
	int first = 1;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	snprintf(hex, sizeof(hex), hexprefix ? "0x%x" : "%x", (unsigned)val);
	append(buf, len, &off, hex);
	if (val == 0)
		return buf;
	for (b = tab; b->b_name != NULL; b++) {
		if (!(val & b->b_bit))
			continue;
		append(buf, len, &off, first ? "<" : ",");
		append(buf, len, &off, b->b_name);
		first = 0;
	}
	if (!first)
		append(buf, len, &off, ">");
	return buf;
}

void
rn_snprintb_m(char *buf, size_t len, uint32_t val, const struct rn_bit *tab,
    size_t maxlen)
{
	const struct rn_bit *b;
	char hex[16];
	size_t off = 0, linestart = 0;
	int inlist = 0;

	if (len < 2)
		return;
	memset(buf, 0, len);
	snprintf(hex, sizeof(hex), "%x", (unsigned)val);
	append(buf, len, &off, hex);
	for (b = tab; b->b_name != NULL; b++) {
		if (!(val & b->b_bit))
			continue;
		/*
		 * The line with this name, its separator, '>' and the NUL
		 * must stay below maxlen (NetBSD's snprintb_m wraps
		 * 7ff80 after TCP4CSUM_Rx with maxlen 58).
		 */
		if (inlist && off - linestart + 1 + strlen(b->b_name) + 1 +
		    1 >= maxlen) {
			append(buf, len, &off, ">");
			off++;			/* keep the NUL: next line */
			if (off >= len - 1)
				break;
			linestart = off;
			append(buf, len, &off, hex);
			inlist = 0;
		}
		append(buf, len, &off, inlist ? "," : "<");
		append(buf, len, &off, b->b_name);
		inlist = 1;
	}
	if (inlist)
		append(buf, len, &off, ">");
	/* The list ends with an empty string: memset left NULs behind. */
	if (off + 1 < len)
		buf[off + 1] = '\0';
}

const char *
rn_rtf_letters(uint32_t flags, char *buf, size_t len)
{
	static const uint32_t order[] = {
		RUMP_RTF_UP, RUMP_RTF_GATEWAY, RUMP_RTF_HOST, RUMP_RTF_REJECT,
		RUMP_RTF_BLACKHOLE, RUMP_RTF_DYNAMIC, RUMP_RTF_MODIFIED,
		RUMP_RTF_DONE, RUMP_RTF_CONNECTED, RUMP_RTF_LLINFO,
		RUMP_RTF_STATIC, RUMP_RTF_ANNOUNCE, RUMP_RTF_LOCAL,
		RUMP_RTF_BROADCAST,
	};
	const struct rn_bit *b;
	size_t i, n = 0;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(flags & order[i]))
			continue;
		for (b = rn_rtf_bits; b->b_name != NULL; b++) {
			if (b->b_bit == order[i] && b->b_letter != 0 &&
			    n + 1 < len)
				buf[n++] = b->b_letter;
		}
	}
	if (len > 0)
		buf[n < len ? n : len - 1] = '\0';
	return buf;
}
