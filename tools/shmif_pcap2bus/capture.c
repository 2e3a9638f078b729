/*
 * capture.c -- the capture reader of shmif_pcap2bus (capture.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "shmif/shmif_bus.h"
#include "tools/shmif_pcap2bus/capture.h"

static int
capture_opened(struct capture *c)
{
	int dlt;

	if (c->c_pcap == NULL)
		return -1;
	dlt = pcap_datalink(c->c_pcap);
	if (dlt != DLT_EN10MB) {
		snprintf(c->c_err, sizeof(c->c_err),
		    "link type %s, a shmif bus carries Ethernet",
		    pcap_datalink_val_to_name(dlt) != NULL ?
		    pcap_datalink_val_to_name(dlt) : "unknown");
		pcap_close(c->c_pcap);
		c->c_pcap = NULL;
		return -1;
	}
	return 0;
}

int
capture_open_path(struct capture *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->c_pcap = pcap_open_offline(path, c->c_err);
	return capture_opened(c);
}

int
capture_open_stream(struct capture *c, FILE *fp)
{
	memset(c, 0, sizeof(*c));
	c->c_pcap = pcap_fopen_offline(fp, c->c_err);
	/* libpcap closes the stream with the capture, but not on failure. */
	if (c->c_pcap == NULL)
		fclose(fp);
	return capture_opened(c);
}

int
capture_next(struct capture *c, struct capture_rec *rec)
{
	struct pcap_pkthdr *ph;
	const u_char *data;
	int rv;

	rv = pcap_next_ex(c->c_pcap, &ph, &data);
	if (rv == 1) {
		rec->cr_data = data;
		rec->cr_caplen = ph->caplen;
		rec->cr_len = ph->len;
		rec->cr_sec = (uint32_t)ph->ts.tv_sec;
		rec->cr_usec = (uint32_t)ph->ts.tv_usec;
		return 1;
	}
	if (rv == PCAP_ERROR_BREAK)
		return 0;
	snprintf(c->c_err, sizeof(c->c_err), "%s", pcap_geterr(c->c_pcap));
	return -1;
}

enum capture_verdict
capture_check(const struct capture_rec *rec)
{
	if (rec->cr_caplen < rec->cr_len)
		return CAPTURE_TRUNCATED;
	if (rec->cr_len < SHMIF_FRAME_MIN || rec->cr_len > SHMIF_FRAME_MAX)
		return CAPTURE_BADLEN;
	return CAPTURE_FRAME;
}

void
capture_close(struct capture *c)
{
	if (c->c_pcap != NULL)
		pcap_close(c->c_pcap);
	c->c_pcap = NULL;
}
