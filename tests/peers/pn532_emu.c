/*
 * pn532_emu.c: a PN532 NFC reader chip on a pseudo-terminal, for tests.
 *
 * It plays the chip, not a libnfc client: it builds against libc only and
 * speaks the PN532 UART (HSU) frame protocol well enough for libnfc 1.8's
 * pn532_uart driver and its tools (nfc-list, nfc-poll) and for our own
 * libnfc backend.
 *
 *   pn532_emu LINK FIFO
 *
 * makes a pty, points the symlink LINK at its slave side, keeps the slave
 * open itself (libnfc closes and reopens the port; with no other holder the
 * reopen gets EIO), and reads control lines from the FIFO (made if missing):
 *
 *   on 04A1B2C3 [ATQA SAK]   a card with this 4, 7 or 10 byte UID is on the
 *                            reader (ATQA as 4 hex digits, SAK as 2; by
 *                            default a MIFARE Classic for 4 and 10 bytes,
 *                            a MIFARE Ultralight for 7)
 *   off                      the card is taken away
 *   vanish                   the reader is unplugged: the pty is closed (both
 *                            sides, so the host's port hangs up) and LINK is
 *                            removed; a pending command is forgotten
 *   return                   plugged in again: a new pty, LINK pointing at it
 *   corrupt N                the next N answer frames (not the ACKs) go out
 *                            spoiled, in turn: a wrong DCS, a wrong LCS, the
 *                            same number of garbage bytes (N = 0 stops it)
 *   quit                     exit
 *
 * Frames: host "00 00 FF LEN LCS D4 CMD data DCS 00"; the chip answers the
 * ACK "00 00 FF 00 FF 00", then "00 00 FF LEN LCS D5 CMD+1 data DCS 00".
 * Wake-up bytes (0x55, zeros) and garbage before a start code are skipped;
 * a frame whose LCS or DCS is wrong is ignored, as the chip does (the host
 * then times out); a host ACK aborts a pending command; a host NACK asks for
 * the last answer again; an unknown command gets the ACK then the error frame.
 * InListPassiveTarget with infinite retries and InAutoPoll stay pending (ACK
 * only) until a card comes or, for InAutoPoll, PollNr x Period x 150 ms per
 * type go by.  The emulator exits on SIGTERM/SIGINT, on "quit", and when its
 * parent dies, and removes LINK on the way out.
 *
 * Start reading main(), then frame_scan() and command().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define RXCAP 1024	/* bytes kept from the host before a frame is whole */
#define TXCAP 300	/* longest answer frame (normal frame: 255 data bytes) */

enum pending_kind { PEND_NONE, PEND_INLIST, PEND_AUTOPOLL };

struct card {
	int present;
	uint8_t uid[10];
	size_t uidlen;
	uint8_t atqa[2];
	uint8_t sak;
};

static int master = -1;
static int slave = -1;			/* held open by us; see the header */
static const char *link_path;
static int corrupt_left;		/* answer frames still to spoil */
static unsigned corrupt_turn;		/* which way the next one is spoiled */
static volatile sig_atomic_t stop;
static uint8_t regs[65536];		/* ReadRegister/WriteRegister map */
static uint8_t retries_passive = 0xff;	/* RFConfiguration item 5, 3rd byte */
static struct card card;
static uint8_t last_tx[TXCAP];		/* for a host NACK */
static size_t last_tx_len;

static struct {
	enum pending_kind kind;
	uint8_t cmd;
	uint8_t init[12];		/* InListPassiveTarget initiator data */
	size_t init_len;
	uint8_t types[16];		/* InAutoPoll target types */
	size_t ntypes;
	long long deadline_ms;		/* InAutoPoll, 0 = none */
} pend;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void write_all(const uint8_t *p, size_t n)
{
	while (n > 0 && master >= 0) {
		ssize_t w = write(master, p, n);
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Send an answer frame, spoiled when `corrupt N` asked for it.  last_tx
 * keeps the good frame: a host NACK gets that one. */
static void send_frame(const uint8_t *f, size_t k)
{
	uint8_t bad[TXCAP];
	size_t i;

	if (corrupt_left <= 0 || k < 6 || k > sizeof bad) {
		write_all(f, k);
		return;
	}
	corrupt_left--;
	memcpy(bad, f, k);
	switch (corrupt_turn++ % 3) {
	case 0:
		bad[k - 2] ^= 0xff;	/* DCS */
		break;
	case 1:
		bad[4] ^= 0xff;		/* LCS */
		break;
	default:
		for (i = 0; i < k; i++)	/* no start code anywhere in it */
			bad[i] = (uint8_t)(0xa5 + 7 * i) | 0x01;
		break;
	}
	write_all(bad, k);
}

static void send_ack(void)
{
	static const uint8_t ack[] = { 0x00, 0x00, 0xff, 0x00, 0xff, 0x00 };
	write_all(ack, sizeof ack);
}

/* the application-level error frame (syntax error in the command) */
static void send_error(void)
{
	static const uint8_t err[] = { 0x00, 0x00, 0xff, 0x01, 0xff, 0x7f, 0x81, 0x00 };
	memcpy(last_tx, err, sizeof err);
	last_tx_len = sizeof err;
	send_frame(err, sizeof err);
}

/* answer CMD with DATA: 00 00 FF LEN LCS D5 CMD+1 DATA DCS 00 */
static void answer(uint8_t cmd, const uint8_t *data, size_t n)
{
	uint8_t *f = last_tx;
	uint8_t sum = 0xd5 + (uint8_t)(cmd + 1);
	size_t i, k = 0;

	if (n > 253)
		n = 253;
	f[k++] = 0x00;
	f[k++] = 0x00;
	f[k++] = 0xff;
	f[k++] = (uint8_t)(n + 2);
	f[k++] = (uint8_t)(0x100 - (n + 2));
	f[k++] = 0xd5;
	f[k++] = (uint8_t)(cmd + 1);
	for (i = 0; i < n; i++) {
		f[k++] = data[i];
		sum += data[i];
	}
	f[k++] = (uint8_t)(0x100 - sum);
	f[k++] = 0x00;
	last_tx_len = k;
	send_frame(f, k);
}

static void answer_status(uint8_t cmd, uint8_t status)
{
	answer(cmd, &status, 1);
}

/* the card's UID as a host sends it to select it: cascade tags 0x88 added */
static size_t cascade_uid(uint8_t *out)
{
	const uint8_t *u = card.uid;

	switch (card.uidlen) {
	case 7:
		out[0] = 0x88;
		memcpy(out + 1, u, 7);
		return 8;
	case 10:
		out[0] = 0x88;
		memcpy(out + 1, u, 3);
		out[4] = 0x88;
		memcpy(out + 5, u + 3, 7);
		return 12;
	default:
		memcpy(out, u, card.uidlen);
		return card.uidlen;
	}
}

/* Tg SENS_RES SEL_RES NFCIDLength NFCID1: the ISO14443A target data */
static size_t target_data(uint8_t *out)
{
	size_t k = 0;

	out[k++] = 0x01;
	out[k++] = card.atqa[0];
	out[k++] = card.atqa[1];
	out[k++] = card.sak;
	out[k++] = (uint8_t)card.uidlen;
	memcpy(out + k, card.uid, card.uidlen);
	return k + card.uidlen;
}

/* does the card on the reader answer a select with this initiator data? */
static int card_matches(const uint8_t *init, size_t n)
{
	uint8_t c[12];
	size_t cn;

	if (!card.present)
		return 0;
	if (n == 0)
		return 1;
	cn = cascade_uid(c);
	return n == cn && memcmp(c, init, n) == 0;
}

/* finish a pending command if it can be now; TIMED_OUT forces NbTg = 0 */
static void pending_try(int timed_out)
{
	uint8_t out[32];
	size_t i;

	if (pend.kind == PEND_INLIST && card_matches(pend.init, pend.init_len)) {
		out[0] = 1;
		answer(pend.cmd, out, 1 + target_data(out + 1));
		pend.kind = PEND_NONE;
	} else if (pend.kind == PEND_AUTOPOLL) {
		int type = -1;
		/* a MIFARE (0x10), generic 106 kbps (0x00) or ISO14443-4A (0x20) poll */
		for (i = 0; i < pend.ntypes && card.present; i++) {
			if (pend.types[i] == 0x10)
				type = 0x10;
			else if ((pend.types[i] == 0x00 || pend.types[i] == 0x20) && type < 0)
				type = pend.types[i];
		}
		if (type >= 0) {
			out[0] = 1;
			out[1] = (uint8_t)type;
			out[2] = (uint8_t)target_data(out + 3);
			answer(pend.cmd, out, 3 + out[2]);
			pend.kind = PEND_NONE;
		} else if (timed_out) {
			out[0] = 0;
			answer(pend.cmd, out, 1);
			pend.kind = PEND_NONE;
		}
	}
}

static void in_list_passive_target(uint8_t cmd, const uint8_t *d, size_t n)
{
	uint8_t zero = 0;

	if (n < 2) {
		send_error();
		return;
	}
	if (d[1] != 0x00) {	/* only ISO14443A 106 kbps cards here */
		answer(cmd, &zero, 1);
		return;
	}
	pend.kind = PEND_INLIST;
	pend.cmd = cmd;
	pend.init_len = n - 2 > sizeof pend.init ? sizeof pend.init : n - 2;
	memcpy(pend.init, d + 2, pend.init_len);
	pending_try(0);
	if (pend.kind != PEND_NONE && retries_passive != 0xff) {
		pend.kind = PEND_NONE;
		answer(cmd, &zero, 1);
	}
}

static void in_auto_poll(uint8_t cmd, const uint8_t *d, size_t n)
{
	if (n < 3) {
		send_error();
		return;
	}
	pend.kind = PEND_AUTOPOLL;
	pend.cmd = cmd;
	pend.ntypes = n - 2 > sizeof pend.types ? sizeof pend.types : n - 2;
	memcpy(pend.types, d + 2, pend.ntypes);
	pend.deadline_ms = 0;
	if (d[0] != 0xff)
		pend.deadline_ms = now_ms() + (long long)d[0] * d[1] * 150 * (long long)pend.ntypes;
	pending_try(0);
}

/* InDataExchange / InCommunicateThru: a MIFARE READ (0x30) is all we know */
static void exchange(uint8_t cmd, const uint8_t *p, size_t n)
{
	uint8_t out[17] = { 0 };

	if (!card.present || n < 1 || p[0] != 0x30) {
		answer_status(cmd, 0x01);	/* timeout: no card answered */
		return;
	}
	if (card.uidlen == 7) {	/* Ultralight pages 0-1: UID with BCCs */
		out[1] = card.uid[0];
		out[2] = card.uid[1];
		out[3] = card.uid[2];
		out[4] = 0x88 ^ card.uid[0] ^ card.uid[1] ^ card.uid[2];
		memcpy(out + 5, card.uid + 3, 4);
	}
	answer(cmd, out, sizeof out);
}

/* one well-formed host command: D[0] is the command code */
static void command(const uint8_t *d, size_t n)
{
	static const uint8_t fw[] = { 0x32, 0x01, 0x06, 0x07 };
	uint8_t out[256];
	uint8_t cmd = d[0];
	size_t i, k;

	pend.kind = PEND_NONE;	/* a new command replaces a pending one */
	send_ack();
	d++;
	n--;
	switch (cmd) {
	case 0x00:	/* Diagnose: test 0 echoes its data */
		answer(cmd, d, n);
		break;
	case 0x02:	/* GetFirmwareVersion */
		answer(cmd, fw, sizeof fw);
		break;
	case 0x04:	/* GetGeneralStatus: no error, no field, no target, SAM 0 */
		memset(out, 0, 4);
		answer(cmd, out, 4);
		break;
	case 0x06:	/* ReadRegister */
		for (i = 0, k = 0; i + 1 < n && k < 253; i += 2)
			out[k++] = regs[(d[i] << 8) | d[i + 1]];
		answer(cmd, out, k);
		break;
	case 0x08:	/* WriteRegister */
		for (i = 0; i + 2 < n; i += 3)
			regs[(d[i] << 8) | d[i + 1]] = d[i + 2];
		answer(cmd, NULL, 0);
		break;
	case 0x12:	/* SetParameters */
	case 0x14:	/* SAMConfiguration */
		answer(cmd, NULL, 0);
		break;
	case 0x16:	/* PowerDown */
		answer_status(cmd, 0x00);
		break;
	case 0x32:	/* RFConfiguration */
		if (n >= 4 && d[0] == 0x05)
			retries_passive = d[3];
		answer(cmd, NULL, 0);
		break;
	case 0x40:	/* InDataExchange: Tg then the bytes for the card */
		exchange(cmd, n ? d + 1 : d, n ? n - 1 : 0);
		break;
	case 0x42:	/* InCommunicateThru */
		exchange(cmd, d, n);
		break;
	case 0x44:	/* InDeselect */
	case 0x52:	/* InRelease */
		answer_status(cmd, 0x00);
		break;
	case 0x4a:
		in_list_passive_target(cmd, d, n);
		break;
	case 0x56:	/* InJumpForDEP: no peer-to-peer target here */
	case 0x46:	/* InJumpForPSL */
		answer_status(cmd, 0x01);
		break;
	case 0x60:
		in_auto_poll(cmd, d, n);
		break;
	default:
		send_error();
		break;
	}
}

static uint8_t rx[RXCAP];
static size_t rx_len;

static void consume(size_t n)
{
	memmove(rx, rx + n, rx_len - n);
	rx_len -= n;
}

/* take every whole frame out of rx; keep a partial one for later */
static void frame_scan(void)
{
	for (;;) {
		size_t i = 0, len, hdr = 4, k;
		uint8_t sum = 0;

		while (i + 1 < rx_len && !(rx[i] == 0x00 && rx[i + 1] == 0xff))
			i++;	/* wake-up bytes, postambles, garbage */
		consume(i);
		if (rx_len < 4)
			break;
		if (rx[2] == 0x00 && rx[3] == 0xff) {		/* ACK: abort */
			pend.kind = PEND_NONE;
			consume(4);
			continue;
		}
		if (rx[2] == 0xff && rx[3] == 0x00) {		/* NACK: again */
			consume(4);
			if (last_tx_len)
				write_all(last_tx, last_tx_len);
			continue;
		}
		if (rx[2] == 0xff && rx[3] == 0xff) {		/* extended frame */
			if (rx_len < 7)
				break;
			if ((uint8_t)(rx[4] + rx[5] + rx[6]) != 0) {
				consume(2);
				continue;
			}
			len = ((size_t)rx[4] << 8) | rx[5];
			hdr = 7;
		} else {
			if ((uint8_t)(rx[2] + rx[3]) != 0) {	/* bad LCS */
				consume(2);
				continue;
			}
			len = rx[2];
		}
		if (hdr + len + 1 > RXCAP) {
			consume(2);
			continue;
		}
		if (rx_len < hdr + len + 1)
			break;	/* wait for the rest */
		for (k = 0; k <= len; k++)
			sum += rx[hdr + k];
		if (sum == 0 && len >= 2 && rx[hdr] == 0xd4)
			command(rx + hdr + 1, len - 1);
		/* else: bad DCS or not a host frame: ignored */
		consume(hdr + len + 1);
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* parse hex digits into OUT (at most CAP bytes); return the count or -1 */
static int parse_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s[0] && s[1] && n < cap) {
		int hi = hexval(s[0]), lo = hexval(s[1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return *s ? -1 : (int)n;
}

static int pty_make(void);
static void pty_drop(void);

static void control_line(char *line)
{
	char *w[4] = { 0 };
	int nw = 0, n;
	char *save = NULL, *tok;
	uint8_t b[10];

	for (tok = strtok_r(line, " \t\r", &save); tok && nw < 4;
	     tok = strtok_r(NULL, " \t\r", &save))
		w[nw++] = tok;
	if (nw == 0)
		return;
	if (strcmp(w[0], "off") == 0) {
		card.present = 0;
	} else if (strcmp(w[0], "quit") == 0) {
		stop = 1;
	} else if (strcmp(w[0], "vanish") == 0) {
		pty_drop();
	} else if (strcmp(w[0], "return") == 0) {
		if (master < 0 && pty_make() < 0)
			stop = 1;	/* said why; a test sees the link never come */
	} else if (strcmp(w[0], "corrupt") == 0 && nw >= 2) {
		char *end;
		long v = strtol(w[1], &end, 10);

		if (*end || v < 0 || v > 1000000) {
			fprintf(stderr, "pn532_emu: bad count '%s'\n", w[1]);
			return;
		}
		corrupt_left = (int)v;
	} else if (strcmp(w[0], "on") == 0 && nw >= 2) {
		n = parse_hex(w[1], b, sizeof b);
		if (n != 4 && n != 7 && n != 10) {
			fprintf(stderr, "pn532_emu: bad UID '%s'\n", w[1]);
			return;
		}
		memcpy(card.uid, b, (size_t)n);
		card.uidlen = (size_t)n;
		card.atqa[0] = 0x00;
		card.atqa[1] = n == 7 ? 0x44 : n == 10 ? 0x84 : 0x04;
		card.sak = n == 7 ? 0x00 : 0x08;
		if (nw >= 4 && parse_hex(w[2], b, 2) == 2 && parse_hex(w[3], b + 2, 1) == 1) {
			card.atqa[0] = b[0];
			card.atqa[1] = b[1];
			card.sak = b[2];
		}
		card.present = 1;
		pending_try(0);
	} else {
		fprintf(stderr, "pn532_emu: unknown control line '%s'\n", w[0]);
	}
}

static void control_read(int fd)
{
	static char buf[256];
	static size_t len;
	ssize_t r;
	char *nl;

	r = read(fd, buf + len, sizeof buf - 1 - len);
	if (r <= 0)
		return;
	len += (size_t)r;
	buf[len] = '\0';
	while ((nl = strchr(buf, '\n')) != NULL) {
		*nl = '\0';
		control_line(buf);
		len -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, len + 1);
	}
	if (len == sizeof buf - 1)
		len = 0;	/* an over-long line: dropped */
}

static void cleanup(void)
{
	if (link_path)
		unlink(link_path);
}

/* A new pty: the slave held open and raw, LINK pointing at it.  0 or -1. */
static int pty_make(void)
{
	struct termios tio;
	const char *name;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    (name = ptsname(master)) == NULL) {
		perror("pn532_emu: pty");
		return -1;
	}
	/* hold the slave: libnfc's close and reopen must not hang up the pty */
	slave = open(name, O_RDWR | O_NOCTTY);
	if (slave < 0) {
		perror("pn532_emu: open slave");
		return -1;
	}
	if (tcgetattr(slave, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(slave, TCSANOW, &tio);
	}
	unlink(link_path);
	if (symlink(name, link_path) < 0) {
		fprintf(stderr, "pn532_emu: cannot link '%s': %s\n", link_path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Unplugged: both sides closed (the host's fd hangs up), LINK gone, and
 * whatever the host had sent or was waiting for forgotten. */
static void pty_drop(void)
{
	unlink(link_path);
	if (slave >= 0)
		close(slave);
	if (master >= 0)
		close(master);
	slave = master = -1;
	rx_len = 0;
	pend.kind = PEND_NONE;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pid_t parent = getppid();
	int ctl;

	if (argc != 3) {
		fprintf(stderr, "usage: pn532_emu LINK FIFO\n");
		return 2;
	}
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (mkfifo(argv[2], 0600) < 0 && errno != EEXIST) {
		fprintf(stderr, "pn532_emu: cannot make fifo '%s': %s\n", argv[2], strerror(errno));
		return 1;
	}
	/* read-write, so the FIFO never reads end-of-file between writers */
	ctl = open(argv[2], O_RDWR | O_NONBLOCK);
	if (ctl < 0) {
		fprintf(stderr, "pn532_emu: cannot open fifo '%s': %s\n", argv[2], strerror(errno));
		return 1;
	}
	link_path = argv[1];
	if (pty_make() < 0) {
		cleanup();
		return 1;
	}

	while (!stop && getppid() == parent) {
		struct pollfd pf[2] = { { master, POLLIN, 0 }, { ctl, POLLIN, 0 } };
		int timeout = 200;
		long long now = now_ms();

		if (pend.kind == PEND_AUTOPOLL && pend.deadline_ms) {
			if (now >= pend.deadline_ms) {
				pending_try(1);
				continue;
			}
			if (pend.deadline_ms - now < timeout)
				timeout = (int)(pend.deadline_ms - now);
		}
		if (poll(pf, 2, timeout) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents & POLLIN) {
			ssize_t r = read(master, rx + rx_len, RXCAP - rx_len);
			if (r > 0) {
				rx_len += (size_t)r;
				frame_scan();
				if (rx_len == RXCAP)
					rx_len = 0;	/* no frame fits: drop it all */
			}
		}
		if (pf[1].revents & POLLIN)
			control_read(ctl);
	}
	cleanup();
	close(ctl);
	pty_drop();
	return 0;
}
