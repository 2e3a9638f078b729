/*
 * rnflags.h -- names of the flag bits the tools print.
 *
 * Each table is written once, as an X-macro list of (bit, name,
 * letter); the name tables rn_*_bits[] used by rn_snprintb() and the
 * netstat flag letters are generated from it, so a name and a letter
 * can never drift apart.  Bit values are NetBSD's (rump_net.h).
 */
#ifndef _TOOLS_COMMON_RNFLAGS_H_
#define _TOOLS_COMMON_RNFLAGS_H_

#include <stddef.h>
#include <stdint.h>

#include <rumpnet/rump_net.h>

/* Interface flags: flags=0x8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> */
#define RN_IFF_TABLE(X)							\
	X(RUMP_IFF_UP,		"UP",		0)			\
	X(RUMP_IFF_BROADCAST,	"BROADCAST",	0)			\
	X(RUMP_IFF_DEBUG,	"DEBUG",	0)			\
	X(RUMP_IFF_LOOPBACK,	"LOOPBACK",	0)			\
	X(RUMP_IFF_POINTOPOINT,	"POINTOPOINT",	0)			\
	X(RUMP_IFF_RUNNING,	"RUNNING",	0)			\
	X(RUMP_IFF_NOARP,	"NOARP",	0)			\
	X(RUMP_IFF_PROMISC,	"PROMISC",	0)			\
	X(RUMP_IFF_ALLMULTI,	"ALLMULTI",	0)			\
	X(RUMP_IFF_OACTIVE,	"OACTIVE",	0)			\
	X(RUMP_IFF_SIMPLEX,	"SIMPLEX",	0)			\
	X(RUMP_IFF_LINK0,	"LINK0",	0)			\
	X(RUMP_IFF_LINK1,	"LINK1",	0)			\
	X(RUMP_IFF_LINK2,	"LINK2",	0)			\
	X(RUMP_IFF_MULTICAST,	"MULTICAST",	0)

/* Capabilities: capabilities=7ff80<TSO4,IP4CSUM_Rx,...> */
#define RN_IFCAP_TABLE(X)						\
	X(RUMP_IFCAP_TSOv4,		"TSO4",		0)		\
	X(RUMP_IFCAP_CSUM_IPv4_Rx,	"IP4CSUM_Rx",	0)		\
	X(RUMP_IFCAP_CSUM_IPv4_Tx,	"IP4CSUM_Tx",	0)		\
	X(RUMP_IFCAP_CSUM_TCPv4_Rx,	"TCP4CSUM_Rx",	0)		\
	X(RUMP_IFCAP_CSUM_TCPv4_Tx,	"TCP4CSUM_Tx",	0)		\
	X(RUMP_IFCAP_CSUM_UDPv4_Rx,	"UDP4CSUM_Rx",	0)		\
	X(RUMP_IFCAP_CSUM_UDPv4_Tx,	"UDP4CSUM_Tx",	0)		\
	X(RUMP_IFCAP_CSUM_TCPv6_Rx,	"TCP6CSUM_Rx",	0)		\
	X(RUMP_IFCAP_CSUM_TCPv6_Tx,	"TCP6CSUM_Tx",	0)		\
	X(RUMP_IFCAP_CSUM_UDPv6_Rx,	"UDP6CSUM_Rx",	0)		\
	X(RUMP_IFCAP_CSUM_UDPv6_Tx,	"UDP6CSUM_Tx",	0)		\
	X(RUMP_IFCAP_TSOv6,		"TSO6",		0)		\
	X(RUMP_IFCAP_LRO,		"LRO",		0)

/* IPv4 address flags: flags 0x1<TENTATIVE> */
#define RN_IN_IFF_TABLE(X)						\
	X(RUMP_IN_IFF_TENTATIVE,	"TENTATIVE",	0)		\
	X(RUMP_IN_IFF_DUPLICATED,	"DUPLICATED",	0)		\
	X(RUMP_IN_IFF_DETACHED,		"DETACHED",	0)		\
	X(RUMP_IN_IFF_TRYTENTATIVE,	"TRYTENTATIVE",	0)

/* IPv6 address flags: flags 0x20<NODAD> */
#define RN_IN6_IFF_TABLE(X)						\
	X(RUMP_IN6_IFF_ANYCAST,		"ANYCAST",	0)		\
	X(RUMP_IN6_IFF_TENTATIVE,	"TENTATIVE",	0)		\
	X(RUMP_IN6_IFF_DUPLICATED,	"DUPLICATED",	0)		\
	X(RUMP_IN6_IFF_DETACHED,	"DETACHED",	0)		\
	X(RUMP_IN6_IFF_DEPRECATED,	"DEPRECATED",	0)		\
	X(RUMP_IN6_IFF_NODAD,		"NODAD",	0)		\
	X(RUMP_IN6_IFF_AUTOCONF,	"AUTOCONF",	0)		\
	X(RUMP_IN6_IFF_TEMPORARY,	"TEMPORARY",	0)

/*
 * Route flags: names for "route get" (flags: 0x843<UP,GATEWAY,DONE,
 * STATIC>) and netstat -r letters.  netstat prints the letters in
 * NetBSD's order, U G H R B D M d C L S p l b, which is not bit order;
 * RN_RTF_LETTER_ORDER lists the bits in that order.
 */
#define RN_RTF_TABLE(X)							\
	X(RUMP_RTF_UP,		"UP",		'U')			\
	X(RUMP_RTF_GATEWAY,	"GATEWAY",	'G')			\
	X(RUMP_RTF_HOST,	"HOST",		'H')			\
	X(RUMP_RTF_REJECT,	"REJECT",	'R')			\
	X(RUMP_RTF_DYNAMIC,	"DYNAMIC",	'D')			\
	X(RUMP_RTF_MODIFIED,	"MODIFIED",	'M')			\
	X(RUMP_RTF_DONE,	"DONE",		'd')			\
	X(RUMP_RTF_CONNECTED,	"CONNECTED",	'C')			\
	X(RUMP_RTF_LLINFO,	"LLINFO",	'L')			\
	X(RUMP_RTF_STATIC,	"STATIC",	'S')			\
	X(RUMP_RTF_BLACKHOLE,	"BLACKHOLE",	'B')			\
	X(RUMP_RTF_CLONED,	"CLONED",	0)			\
	X(RUMP_RTF_ANNOUNCE,	"ANNOUNCE",	'p')			\
	X(RUMP_RTF_LOCAL,	"LOCAL",	'l')			\
	X(RUMP_RTF_BROADCAST,	"BROADCAST",	'b')

struct rn_bit {
	uint32_t	b_bit;
	const char	*b_name;
	char		b_letter;
};

/* Terminated by an entry with b_name NULL. */
extern const struct rn_bit rn_iff_bits[];
extern const struct rn_bit rn_ifcap_bits[];
extern const struct rn_bit rn_in_iff_bits[];
extern const struct rn_bit rn_in6_iff_bits[];
extern const struct rn_bit rn_rtf_bits[];

/*
 * "0x8843<UP,BROADCAST>" (prefix "0x" when hexprefix); "0" alone for 0
 * ("0x0" with hexprefix).  Unnamed bits are left out of the list.
 */
const char *rn_snprintb(char *buf, size_t len, uint32_t val,
	    const struct rn_bit *tab, int hexprefix);

/*
 * The same split into lines of at most maxlen characters, as NetBSD's
 * snprintb_m: each line is "HEX<names>"; lines are separated by NUL,
 * the list ends with an empty string.
 */
void	rn_snprintb_m(char *buf, size_t len, uint32_t val,
	    const struct rn_bit *tab, size_t maxlen);

/* netstat's flag letters of a route ("UGHS"). */
const char *rn_rtf_letters(uint32_t flags, char *buf, size_t len);

#endif /* _TOOLS_COMMON_RNFLAGS_H_ */
