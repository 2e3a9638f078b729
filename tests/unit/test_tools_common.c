/*
 * test_tools_common.c -- the host-side code shared by the rump.* tools:
 * number and address parsing, flag rendering (NetBSD's snprintb and
 * snprintb_m formats), netstat's flag letters and network names.
 * No kernel is involved.
 */
#include <string.h>

#include "tests/unit/unit.h"
#include "tools/common/rnflags.h"
#include "tools/common/rnroute.h"
#include "tools/common/rntool.h"

START_TEST(test_parse_ulong)
{
	unsigned long v;

	ck_assert(rn_parse_ulong("1500", 10, 68, 1500, &v) && v == 1500);
	ck_assert(rn_parse_ulong("0x10", 0, 0, 100, &v) && v == 16);
	ck_assert(rn_parse_ulong("b2", 16, 0, 255, &v) && v == 0xb2);
	/* Everything strtoul would half-accept is refused. */
	ck_assert(!rn_parse_ulong("", 10, 0, 10, &v));
	ck_assert(!rn_parse_ulong(" 1", 10, 0, 10, &v));
	ck_assert(!rn_parse_ulong("-1", 10, 0, ~0UL, &v));
	ck_assert(!rn_parse_ulong("+1", 10, 0, 10, &v));
	ck_assert(!rn_parse_ulong("12x", 10, 0, 100, &v));
	ck_assert(!rn_parse_ulong("1501", 10, 68, 1500, &v));
	ck_assert(!rn_parse_ulong("67", 10, 68, 1500, &v));
	ck_assert(!rn_parse_ulong("99999999999999999999999", 10, 0, ~0UL,
	    &v));
	ck_assert(!rn_parse_ulong(NULL, 10, 0, 10, &v));
}
END_TEST

START_TEST(test_parse_seconds)
{
	uint64_t ns;

	ck_assert(rn_parse_seconds("3", 100, &ns) && ns == 3000000000ull);
	ck_assert(rn_parse_seconds("0.1", 100, &ns) && ns == 100000000ull);
	ck_assert(rn_parse_seconds(".5", 100, &ns) && ns == 500000000ull);
	ck_assert(rn_parse_seconds("0", 100, &ns) && ns == 0);
	ck_assert(rn_parse_seconds("100", 100, &ns));
	ck_assert(!rn_parse_seconds("100.5", 100, &ns));
	ck_assert(!rn_parse_seconds("101", 100, &ns));
	ck_assert(!rn_parse_seconds("", 100, &ns));
	ck_assert(!rn_parse_seconds(".", 100, &ns));
	ck_assert(!rn_parse_seconds("1e9", 100, &ns));
	ck_assert(!rn_parse_seconds("-1", 100, &ns));
}
END_TEST

START_TEST(test_parse_addresses)
{
	uint8_t a[4], mac[6];
	char buf[RN_MAC_STRLEN];
	int plen;

	ck_assert(rn_parse_inet_prefix("198.51.100.1/24", a, &plen));
	ck_assert(a[0] == 198 && a[3] == 1 && plen == 24);
	ck_assert(rn_parse_inet_prefix("203.0.113.9", a, &plen) && plen == -1);
	ck_assert(!rn_parse_inet_prefix("198.51.100.1/33", a, &plen));
	ck_assert(!rn_parse_inet_prefix("198.51.100.1/", a, &plen));
	ck_assert(!rn_parse_inet_prefix("198.51.100/24", a, &plen));
	ck_assert(!rn_parse_inet("198.51.100.256", a));

	ck_assert(rn_parse_netmask("255.255.255.0", &plen) && plen == 24);
	ck_assert(rn_parse_netmask("0xffffff80", &plen) && plen == 25);
	ck_assert(rn_parse_netmask("0.0.0.0", &plen) && plen == 0);
	ck_assert(!rn_parse_netmask("255.0.255.0", &plen));
	ck_assert(!rn_parse_netmask("ffffff00", &plen));

	ck_assert(rn_parse_mac("b2:a0:20:00:00:10", mac));
	ck_assert_str_eq(rn_fmt_mac(mac, buf), "b2:a0:20:00:00:10");
	ck_assert(rn_parse_mac("b2:a0:2:0:0:a", mac));
	ck_assert_str_eq(rn_fmt_mac(mac, buf), "b2:a0:02:00:00:0a");
	ck_assert(!rn_parse_mac("b2:a0:20:00:00", mac));
	ck_assert(!rn_parse_mac("b2:a0:20:00:00:10:11", mac));
	ck_assert(!rn_parse_mac("b2:a0:zz:00:00:10", mac));
	ck_assert(!rn_parse_mac("b2:a0:200:00:00:10", mac));
	ck_assert(!rn_parse_mac("b2::20:00:00:10", mac));
}
END_TEST

START_TEST(test_snprintb)
{
	char buf[256];

	/* NetBSD ifconfig's flag line and address flags. */
	ck_assert_str_eq(rn_snprintb(buf, sizeof(buf), 0x8843, rn_iff_bits,
	    1), "0x8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST>");
	ck_assert_str_eq(rn_snprintb(buf, sizeof(buf), 0x8049, rn_iff_bits,
	    1), "0x8049<UP,LOOPBACK,RUNNING,MULTICAST>");
	ck_assert_str_eq(rn_snprintb(buf, sizeof(buf), 0, rn_in_iff_bits, 1),
	    "0x0");
	ck_assert_str_eq(rn_snprintb(buf, sizeof(buf), 0x1, rn_in_iff_bits,
	    1), "0x1<TENTATIVE>");
	ck_assert_str_eq(rn_snprintb(buf, sizeof(buf), 0x20, rn_in6_iff_bits,
	    1), "0x20<NODAD>");
	/* route get's flags (NetBSD t_route expected outputs). */
	ck_assert_str_eq(rn_snprintb(buf, sizeof(buf), 0x843, rn_rtf_bits, 1),
	    "0x843<UP,GATEWAY,DONE,STATIC>");
	ck_assert_str_eq(rn_snprintb(buf, sizeof(buf), 0x40045, rn_rtf_bits,
	    1), "0x40045<UP,HOST,DONE,LOCAL>");
	ck_assert_str_eq(rn_snprintb(buf, sizeof(buf), 0x141, rn_rtf_bits, 1),
	    "0x141<UP,DONE,CONNECTED>");
	/* Truncation keeps a terminated string. */
	ck_assert_str_eq(rn_snprintb(buf, 8, 0x8843, rn_iff_bits, 1),
	    "0x8843<");
}
END_TEST

START_TEST(test_snprintb_m)
{
	char buf[512];
	const char *p;
	static const char *const want[] = {
		/* NetBSD's ifconfig for an interface offering everything. */
		"7ff80<TSO4,IP4CSUM_Rx,IP4CSUM_Tx,TCP4CSUM_Rx>",
		"7ff80<TCP4CSUM_Tx,UDP4CSUM_Rx,UDP4CSUM_Tx,TCP6CSUM_Rx>",
		"7ff80<TCP6CSUM_Tx,UDP6CSUM_Rx,UDP6CSUM_Tx,TSO6>",
	};
	size_t i = 0;

	rn_snprintb_m(buf, sizeof(buf), 0x7ff80, rn_ifcap_bits, 58);
	for (p = buf; *p != '\0'; p += strlen(p) + 1, i++) {
		ck_assert_uint_lt(i, 3);
		ck_assert_str_eq(p, want[i]);
	}
	ck_assert_uint_eq(i, 3);
	rn_snprintb_m(buf, sizeof(buf), 0x800, rn_ifcap_bits, 58);
	ck_assert_str_eq(buf, "800<TCP4CSUM_Tx>");
	ck_assert_str_eq(buf + strlen(buf) + 1, "");
}
END_TEST

START_TEST(test_route_letters)
{
	char buf[32];

	ck_assert_str_eq(rn_rtf_letters(RUMP_RTF_UP | RUMP_RTF_GATEWAY |
	    RUMP_RTF_STATIC, buf, sizeof(buf)), "UGS");
	ck_assert_str_eq(rn_rtf_letters(RUMP_RTF_UP | RUMP_RTF_HOST |
	    RUMP_RTF_LOCAL, buf, sizeof(buf)), "UHl");
	ck_assert_str_eq(rn_rtf_letters(RUMP_RTF_UP | RUMP_RTF_CONNECTED,
	    buf, sizeof(buf)), "UC");
	/* Letter order is not bit order: B comes before S, R before C. */
	ck_assert_str_eq(rn_rtf_letters(RUMP_RTF_UP | RUMP_RTF_GATEWAY |
	    RUMP_RTF_HOST | RUMP_RTF_BLACKHOLE | RUMP_RTF_STATIC, buf,
	    sizeof(buf)), "UGHBS");
	ck_assert_str_eq(rn_rtf_letters(RUMP_RTF_UP | RUMP_RTF_REJECT |
	    RUMP_RTF_CONNECTED | RUMP_RTF_STATIC, buf, sizeof(buf)), "URCS");
	ck_assert_str_eq(rn_rtf_letters(RUMP_RTF_UP | RUMP_RTF_HOST |
	    RUMP_RTF_LLINFO | RUMP_RTF_STATIC, buf, sizeof(buf)), "UHLS");
	/* CLONED has no letter. */
	ck_assert_str_eq(rn_rtf_letters(RUMP_RTF_UP | RUMP_RTF_CLONED, buf,
	    sizeof(buf)), "U");
	ck_assert_str_eq(rn_rtf_letters(RUMP_RTF_UP | RUMP_RTF_GATEWAY, buf,
	    2), "U");
}
END_TEST

START_TEST(test_netname)
{
	static const struct {
		uint8_t		a[4];
		int		plen;
		const char	*want;
	} cases[] = {
		{ { 0, 0, 0, 0 }, 0, "default" },
		{ { 198, 51, 100, 0 }, 24, "198.51.100/24" },
		{ { 127, 0, 0, 0 }, 8, "127/8" },
		{ { 203, 0, 113, 0 }, 24, "203.0.113/24" },
		{ { 203, 0, 113, 128 }, 25, "203.0.113.128/25" },
		{ { 203, 0, 0, 0 }, 16, "203.0/16" },
		{ { 198, 51, 100, 7 }, 32, "198.51.100.7" },
		{ { 0, 0, 0, 0 }, 1, "0/1" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_str_eq(rn_netname4(cases[i].a, cases[i].plen, buf,
		    sizeof(buf)), cases[i].want);
}
END_TEST

static Suite *
tools_common_suite(void)
{
	Suite *s = suite_create("tools_common");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_ulong);
	tcase_add_test(tc, test_parse_seconds);
	tcase_add_test(tc, test_parse_addresses);
	tcase_add_test(tc, test_snprintb);
	tcase_add_test(tc, test_snprintb_m);
	tcase_add_test(tc, test_route_letters);
	tcase_add_test(tc, test_netname);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(tools_common_suite());
}
