/*
 * dumpbus_out.c -- text, pcap and pcapng output for shmif_dumpbus.
 *
 * pcapng layout written here (all integers in host byte order, which the
 * Section Header's byte-order magic declares; every block is padded to a
 * multiple of 4 and carries its total length at both ends):
 *   Section Header Block   type 0x0A0D0D0A, version 1.0, length unknown,
 *                          option shb_userappl
 *   Interface Description  type 1, one per distinct sender id, written
 *                          just before that sender's first frame:
 *                          LINKTYPE_ETHERNET, snaplen 1518, option
 *                          if_name "sender 0x<id>"; timestamps are in
 *                          the default microseconds
 *   Enhanced Packet Block  type 6: interface id, 64-bit timestamp in
 *                          microseconds, captured = original length
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shmif/shmif_bus.h"
#include "tools/shmif_dumpbus/dumpbus_out.h"

#define SNAPLEN		1518	/* as NetBSD's dumpbus: 1514 + slack */

#define PCAPNG_SHB	0x0A0D0D0Au
#define PCAPNG_IDB	0x00000001u
#define PCAPNG_EPB	0x00000006u
#define PCAPNG_BOM	0x1A2B3C4Du
#define OPT_END		0
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME	2

#define PAD4(n)		(((n) + 3u) & ~3u)

static void
ng_put(struct dumpbus_out *out, const void *p, size_t len)
{
	/* Errors stick to the stream; dumpbus_out_flush() reports them. */
	(void)fwrite(p, 1, len, out->do_ng);
}

static void
ng_u32(struct dumpbus_out *out, uint32_t v)
{
	ng_put(out, &v, sizeof(v));
}

static void
ng_u16(struct dumpbus_out *out, uint16_t v)
{
	ng_put(out, &v, sizeof(v));
}

static void
ng_pad(struct dumpbus_out *out, size_t len)
{
	static const uint8_t zero[4];

	ng_put(out, zero, PAD4(len) - len);
}

/* One string option: code, length, value, padding. */
static void
ng_stropt(struct dumpbus_out *out, uint16_t code, const char *s)
{
	size_t len = strlen(s);

	ng_u16(out, code);
	ng_u16(out, (uint16_t)len);
	ng_put(out, s, len);
	ng_pad(out, len);
}

static uint32_t
ng_stroptlen(const char *s)
{
	return 4 + PAD4((uint32_t)strlen(s));
}

static void
ng_shb(struct dumpbus_out *out)
{
	static const char appl[] = "rumpnet shmif_dumpbus";
	uint32_t total = 28 + ng_stroptlen(appl) + 4;
	uint64_t seclen = UINT64_MAX;	/* -1: not known */

	ng_u32(out, PCAPNG_SHB);
	ng_u32(out, total);
	ng_u32(out, PCAPNG_BOM);
	ng_u16(out, 1);
	ng_u16(out, 0);
	ng_put(out, &seclen, sizeof(seclen));
	ng_stropt(out, OPT_SHB_USERAPPL, appl);
	ng_u32(out, OPT_END);
	ng_u32(out, total);
}

static void
ng_idb(struct dumpbus_out *out, const struct dumpbus_frame *df)
{
	char name[64];
	uint32_t total;

	if (df->df_hassender)
		snprintf(name, sizeof(name), "sender 0x%016" PRIx64,
		    df->df_sender);
	else
		snprintf(name, sizeof(name), "bus (version 2, no sender ids)");
	total = 20 + ng_stroptlen(name) + 4;
	ng_u32(out, PCAPNG_IDB);
	ng_u32(out, total);
	ng_u16(out, 1);		/* LINKTYPE_ETHERNET */
	ng_u16(out, 0);
	ng_u32(out, SNAPLEN);
	ng_stropt(out, OPT_IF_NAME, name);
	ng_u32(out, OPT_END);
	ng_u32(out, total);
}

/* Interface id of a sender, describing it first if it is new. */
static uint32_t
ng_ifid(struct dumpbus_out *out, const struct dumpbus_frame *df)
{
	size_t i;

	for (i = 0; i < out->do_nif; i++)
		if (out->do_ifsender[i] == df->df_sender)
			return (uint32_t)i;
	if (out->do_nif == out->do_ifcap) {
		out->do_ifcap = out->do_ifcap ? 2 * out->do_ifcap : 8;
		out->do_ifsender = reallocarray(out->do_ifsender,
		    out->do_ifcap, sizeof(*out->do_ifsender));
		if (out->do_ifsender == NULL)
			err(1, "malloc");
	}
	out->do_ifsender[out->do_nif] = df->df_sender;
	ng_idb(out, df);
	return (uint32_t)out->do_nif++;
}

static void
ng_epb(struct dumpbus_out *out, const struct dumpbus_frame *df)
{
	uint32_t ifid = ng_ifid(out, df);
	uint32_t total = 28 + PAD4(df->df_len) + 4;
	uint64_t ts = (uint64_t)df->df_sec * 1000000 + df->df_usec;

	ng_u32(out, PCAPNG_EPB);
	ng_u32(out, total);
	ng_u32(out, ifid);
	ng_u32(out, (uint32_t)(ts >> 32));
	ng_u32(out, (uint32_t)ts);
	ng_u32(out, df->df_len);
	ng_u32(out, df->df_len);
	ng_put(out, df->df_data, df->df_len);
	ng_pad(out, df->df_len);
	ng_u32(out, total);
}

void
dumpbus_out_open(struct dumpbus_out *out, enum dumpbus_fmt fmt,
    const char *path, const char *expr, bool quiet)
{
	bool tostdout = fmt != DUMPBUS_NONE && strcmp(path, "-") == 0;

	memset(out, 0, sizeof(*out));
	out->do_fmt = fmt;
	out->do_path = path;
	out->do_text = quiet ? NULL : tostdout ? stderr : stdout;
	out->do_pcap = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	if (out->do_pcap == NULL)
		errx(1, "pcap_open_dead failed");

	if (expr != NULL) {
		if (pcap_compile(out->do_pcap, &out->do_filter, expr, 1,
		    PCAP_NETMASK_UNKNOWN) == -1)
			errx(1, "invalid filter expression `%s': %s", expr,
			    pcap_geterr(out->do_pcap));
		out->do_hasfilter = true;
	}

	switch (fmt) {
	case DUMPBUS_NONE:
		break;
	case DUMPBUS_PCAP:
		/* libpcap takes "-" as standard output. */
		out->do_dumper = pcap_dump_open(out->do_pcap, path);
		if (out->do_dumper == NULL)
			errx(1, "Cannot open pcap dump file `%s': %s", path,
			    pcap_geterr(out->do_pcap));
		break;
	case DUMPBUS_PCAPNG:
		out->do_ng = tostdout ? stdout : fopen(path, "wb");
		if (out->do_ng == NULL)
			err(1, "Cannot open pcapng dump file `%s'", path);
		ng_shb(out);
		break;
	}
}

FILE *
dumpbus_out_textfp(const struct dumpbus_out *out)
{
	return out->do_text;
}

static bool
dumpbus_out_match(const struct dumpbus_out *out,
    const struct dumpbus_frame *df)
{
	struct pcap_pkthdr ph;

	if (!out->do_hasfilter)
		return true;
	memset(&ph, 0, sizeof(ph));
	ph.caplen = ph.len = df->df_len;
	return pcap_offline_filter(&out->do_filter, &ph, df->df_data) != 0;
}

bool
dumpbus_out_frame(struct dumpbus_out *out, const struct dumpbus_frame *df)
{
	struct pcap_pkthdr ph;

	if (!dumpbus_out_match(out, df))
		return false;
	if (out->do_text != NULL)
		fprintf(out->do_text,
		    "packet %" PRIu64 ", offset 0x%04x, length 0x%04x, "
		    "ts %u/%06u\n", out->do_index, df->df_off, df->df_len,
		    df->df_sec, df->df_usec);
	out->do_index++;

	switch (out->do_fmt) {
	case DUMPBUS_NONE:
		break;
	case DUMPBUS_PCAP:
		memset(&ph, 0, sizeof(ph));
		ph.ts.tv_sec = df->df_sec;
		ph.ts.tv_usec = df->df_usec;
		ph.caplen = ph.len = df->df_len;
		pcap_dump((u_char *)out->do_dumper, &ph, df->df_data);
		break;
	case DUMPBUS_PCAPNG:
		ng_epb(out, df);
		break;
	}
	return true;
}

static int
stream_flush(FILE *fp)
{
	if (fp == NULL)
		return 0;
	if (fflush(fp) == 0 && !ferror(fp))
		return 0;
	return errno != 0 ? errno : EIO;
}

int
dumpbus_out_flush(struct dumpbus_out *out)
{
	int error = 0;

	errno = 0;
	if (out->do_dumper != NULL)
		error = stream_flush(pcap_dump_file(out->do_dumper));
	if (error == 0)
		error = stream_flush(out->do_ng);
	if (error == 0)
		error = stream_flush(out->do_text);
	return error;
}

bool
dumpbus_out_gone(const struct dumpbus_out *out)
{
	struct pollfd pfd = { .fd = STDOUT_FILENO, .events = 0 };

	/* Only a pipe or socket reports its reader leaving as POLLERR. */
	if (poll(&pfd, 1, 0) != 1)
		return false;
	return (pfd.revents & (POLLERR | POLLHUP)) != 0;
}

int
dumpbus_out_close(struct dumpbus_out *out)
{
	int error;

	error = dumpbus_out_flush(out);
	if (out->do_dumper != NULL)
		pcap_dump_close(out->do_dumper);
	if (out->do_ng != NULL && out->do_ng != stdout)
		if (fclose(out->do_ng) != 0 && error == 0)
			error = errno;
	if (out->do_hasfilter)
		pcap_freecode(&out->do_filter);
	pcap_close(out->do_pcap);
	free(out->do_ifsender);
	return error;
}
