/* faultproxy.c: a faulty HTTPS proxy for the sync tests, between the
 * station's sync client (libcurl, the server's public key pinned) and the
 * plant's server (build/haulgate-potw serve), on loopback.
 *
 *   build/peers/faultproxy LISTEN_PORT UPSTREAM_HOST:PORT CERT KEY
 *                          [--faults SPEC] [--control FIFO] [--log FILE]
 *
 * It listens on 127.0.0.1 only (LISTEN_PORT 0 = pick a free port) and says
 * so on stdout, flushed: "listening 127.0.0.1:40123".  Because the faults
 * happen inside TLS and the client pins the server's key, the proxy ends
 * TLS with the SAME certificate and key as the server (CERT, KEY: it is a
 * test), and opens its own TLS connection upstream, unverified (loopback).
 *
 * Faults are applied per HTTP request, in order, from a list; once the list
 * is used up every request is "pass".  SPEC is a comma-separated list, each
 * item a fault, optionally repeated with "*N" ("pass*3,drop-after,500"):
 *   pass        forward the request, return the answer
 *   drop        read the request, close the client's connection unanswered
 *   drop-after  forward it (the server DOES process it), then close the
 *               client's connection unanswered: "did my batch land?"
 *   stall:N     wait N seconds (0..3600), then as pass (the client's timeout
 *               should fire first; the request still reaches the server)
 *   500         answer HTTP 500 with a small JSON error, not forwarded
 *   garbage     answer 256 random bytes that are not HTTP, then close
 *   cut         forward, return the answer's head and the first half of
 *               its body, close (an empty body: the head only)
 *   replay      answer with the last answer recorded for the same method and
 *               path (any forwarded one), not forwarded; pass if none yet
 * --control FIFO: a test writes lines into FIFO (made by the test, mkfifo)
 * at any time.  A line "SPEC" replaces the faults still pending, "+SPEC"
 * appends to them, "clear" empties them.  The FIFO is read, without
 * blocking, each time a request takes its fault, so a line whose write()
 * returned before the request was sent applies to it.  A bad line is logged
 * ("control: bad ...") and changes nothing.
 *
 * HTTP/1.1 with keep-alive: several requests on one client connection, each
 * with a Content-Length body (none = empty); a request with any
 * Transfer-Encoding is answered 501, a head over 64 KiB 431, a body over 16
 * MiB 413, then the connection is closed.  The whole request is read before
 * anything is forwarded: "Expect: 100-continue" is answered by the proxy
 * itself, and kept in the request sent upstream (write_request).  Answers are read whole (Content-Length, chunked kept as is,
 * or until the server closes), up to 16 MiB.  A server that cannot be
 * reached gets the client a 502.
 *
 * Concurrency: one thread per client connection (at most 64 at once), each
 * with its own upstream connection; the fault list, the FIFO, the answers
 * recorded for replay (the last one per method and path, at most 64 paths)
 * and the log are shared under one mutex.  Threads rather than fork so that
 * "replay" sees answers recorded on any connection without a file.
 *
 * The log (stdout, or --log FILE appended), one line per request, flushed:
 *   2026-12-05T07:01:02Z GET /api/v1/health fault=drop-after upstream=200
 * upstream is the server's status, "-" when nothing was forwarded, "error"
 * when the server could not be reached or answered nonsense.
 *
 * Exits 0 on SIGTERM or SIGINT and when its parent dies (PR_SET_PDEATHSIG),
 * 2 on a bad argument, unreadable TLS files or when it cannot listen.
 * Start reading at main(). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#define HEAD_MAX (64 * 1024)
#define BODY_MAX (16 * 1024 * 1024)
#define QUEUE_MAX 4096
#define REPLAY_MAX 64
#define CONN_MAX 64
#define KEY_MAX 2048
#define GARBAGE_LEN 256

enum kind { F_PASS, F_DROP, F_DROP_AFTER, F_STALL, F_500, F_GARBAGE, F_CUT, F_REPLAY };

struct fault {
	enum kind kind;
	int secs;		/* stall:N */
};

struct buf {
	unsigned char *p;
	size_t len, cap;
};

struct answer {			/* one recorded for replay */
	char key[KEY_MAX];	/* "METHOD PATH" */
	struct buf bytes;
};

struct upstream {
	int fd;			/* -1: not connected */
	SSL *ssl;
	struct buf in;		/* read ahead */
};

/* one request of a client, parsed */
struct request {
	char method[32];
	char path[KEY_MAX - 40];
	size_t head_len;	/* bytes of the head in the client's buffer */
	size_t body_len;
	int chunked;		/* any Transfer-Encoding */
	int close;		/* Connection: close */
	int expect;		/* Expect: 100-continue */
	int bad;		/* not a request line */
};

/* one answer of the server, read whole */
struct response {
	struct buf bytes;	/* head and body, as sent */
	size_t body_off;
	int status;
	int until_close;	/* no framing: the server closed after it */
	int close;		/* Connection: close */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct fault queue[QUEUE_MAX];	/* pending faults, queue[q_pos..q_len) */
static size_t q_pos, q_len;
static int ctl_fd = -1;
static char ctl_line[4096];
static size_t ctl_len;
static FILE *log_f;
static struct answer answers[REPLAY_MAX];
static size_t n_answers;
static int n_conns;
static SSL_CTX *srv_ctx, *up_ctx;
static char up_host[256], up_port[16];
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* ---- faults ---- */

static const char *kind_name(enum kind k)
{
	static const char *names[] = { "pass", "drop", "drop-after", "stall", "500",
				       "garbage", "cut", "replay" };
	return names[k];
}

/* Parse one item ("drop", "stall:30", "500*3") of s[0..n) into *f and
 * *times.  0 or -1. */
static int parse_item(const char *s, size_t n, struct fault *f, long *times)
{
	char item[64], *star, *end;
	static const struct { const char *name; enum kind kind; } map[] = {
		{ "pass", F_PASS }, { "drop", F_DROP }, { "drop-after", F_DROP_AFTER },
		{ "500", F_500 }, { "garbage", F_GARBAGE }, { "cut", F_CUT },
		{ "replay", F_REPLAY },
	};

	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof item)
		return -1;
	memcpy(item, s, n);
	item[n] = 0;
	*times = 1;
	star = strchr(item, '*');
	if (star) {
		*star = 0;
		errno = 0;
		*times = strtol(star + 1, &end, 10);
		if (errno || end == star + 1 || *end || *times < 1 || *times > QUEUE_MAX)
			return -1;
	}
	f->secs = 0;
	if (strncmp(item, "stall:", 6) == 0) {
		long secs;

		errno = 0;
		secs = strtol(item + 6, &end, 10);
		if (errno || end == item + 6 || *end || secs < 0 || secs > 3600)
			return -1;
		f->kind = F_STALL;
		f->secs = (int)secs;
		return 0;
	}
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strcmp(item, map[i].name) == 0) {
			f->kind = map[i].kind;
			return 0;
		}
	}
	return -1;
}

/* Parse SPEC into out[0..*n) (at most cap).  0, or -1 on a bad item or
 * too many. */
static int parse_spec(const char *spec, struct fault *out, size_t cap, size_t *n)
{
	const char *p = spec;

	*n = 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		struct fault f;
		long times;

		if (parse_item(p, len, &f, &times) != 0)
			return -1;
		if ((size_t)times > cap - *n)
			return -1;
		while (times-- > 0)
			out[(*n)++] = f;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static void fault_text(const struct fault *f, char *out, size_t size)
{
	if (f->kind == F_STALL)
		snprintf(out, size, "stall:%d", f->secs);
	else
		snprintf(out, size, "%s", kind_name(f->kind));
}

static void now_text(char *out, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Print one line on the log; the caller holds mu. */
static void log_locked(const char *fmt, ...)
{
	char when[32];
	va_list ap;

	now_text(when, sizeof when);
	fprintf(log_f, "%s ", when);
	va_start(ap, fmt);
	vfprintf(log_f, fmt, ap);
	va_end(ap);
	fputc('\n', log_f);
	fflush(log_f);
}

static void log_line(const char *fmt, ...)
{
	char line[6000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&mu);
	log_locked("%s", line);
	pthread_mutex_unlock(&mu);
}

/* One control line: "SPEC" replaces the pending faults, "+SPEC" appends,
 * "clear" empties.  The caller holds mu. */
static void control_line(const char *line)
{
	static struct fault got[QUEUE_MAX];
	size_t n, pending = q_len - q_pos;
	int add = line[0] == '+';

	if (line[0] == 0)
		return;
	if (strcmp(line, "clear") == 0) {
		q_pos = q_len = 0;
		log_locked("control: clear");
		return;
	}
	if (parse_spec(line + add, got, QUEUE_MAX, &n) != 0 ||
	    (add && n > QUEUE_MAX - pending)) {
		log_locked("control: bad '%s'", line);
		return;
	}
	if (add) {
		memmove(queue, queue + q_pos, pending * sizeof queue[0]);
		memcpy(queue + pending, got, n * sizeof got[0]);
		q_pos = 0;
		q_len = pending + n;
	} else {
		memcpy(queue, got, n * sizeof got[0]);
		q_pos = 0;
		q_len = n;
	}
	log_locked("control: %s", line);
}

/* Read what the FIFO holds now (never blocks); the caller holds mu. */
static void control_drain(void)
{
	char chunk[1024];
	ssize_t got;

	if (ctl_fd < 0)
		return;
	while ((got = read(ctl_fd, chunk, sizeof chunk)) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			if (chunk[i] == '\n') {
				ctl_line[ctl_len] = 0;
				if (ctl_len && ctl_line[ctl_len - 1] == '\r')
					ctl_line[ctl_len - 1] = 0;
				control_line(ctl_line);
				ctl_len = 0;
			} else if (ctl_len < sizeof ctl_line - 1) {
				ctl_line[ctl_len++] = chunk[i];
			}
		}
	}
}

/* The fault of the next request. */
static struct fault next_fault(void)
{
	struct fault f = { F_PASS, 0 };

	pthread_mutex_lock(&mu);
	control_drain();
	if (q_pos < q_len)
		f = queue[q_pos++];
	pthread_mutex_unlock(&mu);
	return f;
}

/* ---- buffers and TLS I/O ---- */

/* Append n bytes; -1 past max bytes in all or out of memory. */
static int buf_add(struct buf *b, const void *data, size_t n, size_t max)
{
	if (n > max || b->len > max - n)
		return -1;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		unsigned char *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return 0;
}

/* Take the first n bytes off the front. */
static void buf_consume(struct buf *b, size_t n)
{
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
}

/* Read more from ssl into b.  The bytes read, 0 at the end of the stream
 * (or an error), -1 when b would pass max. */
static long read_more(SSL *ssl, struct buf *b, size_t max)
{
	unsigned char chunk[16384];
	int got = SSL_read(ssl, chunk, sizeof chunk);

	if (got <= 0)
		return 0;
	if (buf_add(b, chunk, (size_t)got, max) != 0)
		return -1;
	return got;
}

/* Make b hold at least need bytes.  0, or -1 at the end of the stream. */
static int read_until(SSL *ssl, struct buf *b, size_t need, size_t max)
{
	while (b->len < need) {
		if (read_more(ssl, b, max) <= 0)
			return -1;
	}
	return 0;
}

/* Read until b holds "\r\n\r\n" from offset from; its end's offset in
 * *end.  0; 1 at the end of the stream with nothing read past from; -1 on an
 * error, a stream cut in a head or one over HEAD_MAX (-2). */
static int read_head(SSL *ssl, struct buf *b, size_t from, size_t *end)
{
	size_t scan = from;

	for (;;) {
		for (; b->len >= 4 && scan + 4 <= b->len; scan++) {
			if (memcmp(b->p + scan, "\r\n\r\n", 4) == 0) {
				*end = scan + 4;
				return 0;
			}
		}
		if (b->len - from > HEAD_MAX)
			return -2;
		long got = read_more(ssl, b, from + HEAD_MAX + 16384);

		if (got < 0)
			return -2;
		if (got == 0)
			return b->len == from ? 1 : -1;
	}
}

static int write_all(SSL *ssl, const void *data, size_t n)
{
	const unsigned char *p = data;

	while (n > 0) {
		int chunk = n > 65536 ? 65536 : (int)n;
		int put = SSL_write(ssl, p, chunk);

		if (put <= 0)
			return -1;
		p += put;
		n -= (size_t)put;
	}
	return 0;
}

/* The value of header name in head[0..len) (the first one), copied into out;
 * 1 when found, else 0. */
static int header(const unsigned char *head, size_t len, const char *name, char *out,
		  size_t size)
{
	size_t nl = strlen(name);
	const unsigned char *p = memchr(head, '\n', len), *end = head + len;

	while (p && p + 1 < end) {
		const unsigned char *line = p + 1, *eol = memchr(line, '\n', (size_t)(end - line));

		if (!eol)
			break;
		if ((size_t)(eol - line) > nl && line[nl] == ':' &&
		    strncasecmp((const char *)line, name, nl) == 0) {
			const unsigned char *v = line + nl + 1, *ve = eol;
			size_t n;

			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			n = (size_t)(ve - v);
			if (n >= size)
				n = size - 1;
			memcpy(out, v, n);
			out[n] = 0;
			return 1;
		}
		p = eol;
	}
	return 0;
}

/* A Content-Length value: 0, or -1 when it is not a plain number. */
static int parse_length(const char *s, size_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v > (unsigned long long)SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)v;
	return 0;
}

/* ---- upstream ---- */

static void up_close(struct upstream *u)
{
	if (u->ssl) {
		SSL_shutdown(u->ssl);
		SSL_free(u->ssl);
		u->ssl = NULL;
	}
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	u->in.len = 0;
}

static int up_connect(struct upstream *u)
{
	struct addrinfo hints = {0}, *res = NULL;
	int one = 1;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(up_host, up_port, &hints, &res) != 0 || !res)
		return -1;
	u->fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (u->fd < 0 || connect(u->fd, res->ai_addr, res->ai_addrlen) != 0) {
		freeaddrinfo(res);
		up_close(u);
		return -1;
	}
	freeaddrinfo(res);
	setsockopt(u->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	u->ssl = SSL_new(up_ctx);
	if (!u->ssl || SSL_set_fd(u->ssl, u->fd) != 1 || SSL_connect(u->ssl) != 1) {
		up_close(u);
		return -1;
	}
	return 0;
}

/* Read one chunked body, as is, from u into r->bytes. */
static int read_chunked(struct upstream *u, struct response *r)
{
	size_t max = (size_t)BODY_MAX + HEAD_MAX;

	for (;;) {
		size_t size, eol;
		char line[64], *end;
		unsigned char *nl;

		while (!(nl = memchr(u->in.p, '\n', u->in.len))) {
			if (u->in.len > 4096 || read_more(u->ssl, &u->in, max) <= 0)
				return -1;
		}
		eol = (size_t)(nl - u->in.p) + 1;
		if (eol >= sizeof line)
			return -1;
		memcpy(line, u->in.p, eol);
		line[eol] = 0;
		errno = 0;
		size = strtoul(line, &end, 16);
		if (errno || end == line || size > BODY_MAX)
			return -1;
		if (buf_add(&r->bytes, u->in.p, eol, max) != 0)
			return -1;
		buf_consume(&u->in, eol);
		if (size == 0) {	/* trailers, up to an empty line */
			for (;;) {
				while (!(nl = memchr(u->in.p, '\n', u->in.len))) {
					if (u->in.len > HEAD_MAX ||
					    read_more(u->ssl, &u->in, max) <= 0)
						return -1;
				}
				eol = (size_t)(nl - u->in.p) + 1;
				if (buf_add(&r->bytes, u->in.p, eol, max) != 0)
					return -1;
				buf_consume(&u->in, eol);
				if (eol <= 2)
					return 0;
			}
		}
		if (read_until(u->ssl, &u->in, size + 2, max) != 0 ||
		    buf_add(&r->bytes, u->in.p, size + 2, max) != 0)
			return -1;
		buf_consume(&u->in, size + 2);
	}
}

/* Write the request upstream.  With "Expect: 100-continue" (curl adds it to
 * bodies over 1 MiB) the head goes first and the body only after the
 * server's "100 Continue" (or 1 s of silence), as curl does: a server that
 * answers at once (a 404 or 405 on a POST: libmicrohttpd answers and closes)
 * gets no body (*early = 1) and its answer is not lost to a write on a
 * closed connection.  0 or -1. */
static int write_request(struct upstream *u, const struct buf *req, size_t head_len, int expect,
			 int *early)
{
	struct pollfd pfd = { u->fd, POLLIN, 0 };
	size_t end;

	*early = 0;
	if (!expect || req->len == head_len)
		return write_all(u->ssl, req->p, req->len);
	if (write_all(u->ssl, req->p, head_len) != 0)
		return -1;
	if (SSL_pending(u->ssl) > 0 || poll(&pfd, 1, 1000) == 1) {
		if (read_head(u->ssl, &u->in, 0, &end) != 0)
			return -1;
		if (!(end >= 12 && memcmp(u->in.p + 9, "100", 3) == 0)) {
			*early = 1;	/* a final answer: the body is not wanted */
			return 0;
		}
		buf_consume(&u->in, end);
	}
	return write_all(u->ssl, req->p + head_len, req->len - head_len);
}

/* Send req[0..n) upstream and read its answer whole into *r.  A connection
 * kept from an earlier request that turns out closed is opened again once.
 * 0 or -1 (u closed). */
static int forward(struct upstream *u, const struct request *q, const struct buf *req,
		   struct response *r)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		int reused = u->fd >= 0, rc, early = 0;
		size_t end;
		char v[64];

		r->bytes.len = 0;
		r->status = 0;
		r->until_close = r->close = 0;
		if (!reused && up_connect(u) != 0)
			return -1;
		if (write_request(u, req, q->head_len, q->expect, &early) != 0) {
			up_close(u);
			if (reused)
				continue;
			return -1;
		}
		rc = read_head(u->ssl, &u->in, 0, &end);
		if (rc == 1 && reused) {	/* closed while idle */
			up_close(u);
			continue;
		}
		if (rc != 0 || end < 12 || memcmp(u->in.p, "HTTP/1.", 7) != 0 ||
		    !isdigit(u->in.p[9]) || !isdigit(u->in.p[10]) || !isdigit(u->in.p[11])) {
			up_close(u);
			return -1;
		}
		r->status = (u->in.p[9] - '0') * 100 + (u->in.p[10] - '0') * 10 + (u->in.p[11] - '0');
		if (buf_add(&r->bytes, u->in.p, end, HEAD_MAX + 16) != 0) {
			up_close(u);
			return -1;
		}
		r->body_off = end;
		if (header(u->in.p, end, "Connection", v, sizeof v) && strcasecmp(v, "close") == 0)
			r->close = 1;
		buf_consume(&u->in, end);

		if (strcmp(q->method, "HEAD") == 0 || r->status / 100 == 1 || r->status == 204 ||
		    r->status == 304) {
			rc = 0;
		} else if (header(r->bytes.p, r->body_off, "Transfer-Encoding", v, sizeof v)) {
			rc = strcasecmp(v, "chunked") == 0 ? read_chunked(u, r) : -1;
		} else if (header(r->bytes.p, r->body_off, "Content-Length", v, sizeof v)) {
			size_t n;

			rc = parse_length(v, &n);
			if (rc == 0 && n > BODY_MAX)
				rc = -1;
			if (rc == 0)
				rc = read_until(u->ssl, &u->in, n, (size_t)BODY_MAX + HEAD_MAX);
			if (rc == 0) {
				rc = buf_add(&r->bytes, u->in.p, n, (size_t)BODY_MAX + HEAD_MAX);
				buf_consume(&u->in, n);
			}
		} else {		/* the body ends when the server closes */
			long got;

			r->until_close = 1;
			rc = buf_add(&r->bytes, u->in.p, u->in.len, (size_t)BODY_MAX + HEAD_MAX);
			u->in.len = 0;
			while (rc == 0 && (got = read_more(u->ssl, &r->bytes,
							   (size_t)BODY_MAX + HEAD_MAX)) > 0)
				;
			if (rc == 0 && got < 0)
				rc = -1;
			up_close(u);
		}
		if (rc != 0) {
			up_close(u);
			return -1;
		}
		if (r->close || early)	/* early: the rest of our body is unsent */
			up_close(u);
		return 0;
	}
	return -1;
}

/* ---- replay ---- */

static void record_answer(const char *key, const struct buf *b)
{
	struct answer *a = NULL;

	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < n_answers && !a; i++) {
		if (strcmp(answers[i].key, key) == 0)
			a = &answers[i];
	}
	if (!a && n_answers < REPLAY_MAX) {
		a = &answers[n_answers++];
		snprintf(a->key, sizeof a->key, "%s", key);
	}
	if (a) {
		a->bytes.len = 0;
		if (buf_add(&a->bytes, b->p, b->len, (size_t)BODY_MAX + HEAD_MAX) != 0)
			a->bytes.len = 0;
	}
	pthread_mutex_unlock(&mu);
}

/* Copy the answer recorded for key into out: 1 when there is one. */
static int recorded_answer(const char *key, struct buf *out)
{
	int found = 0;

	out->len = 0;
	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < n_answers; i++) {
		if (strcmp(answers[i].key, key) == 0 && answers[i].bytes.len > 0) {
			found = buf_add(out, answers[i].bytes.p, answers[i].bytes.len,
					(size_t)BODY_MAX + HEAD_MAX) == 0;
			break;
		}
	}
	pthread_mutex_unlock(&mu);
	return found;
}

/* ---- the client's connection ---- */

/* Parse the head in in[0..head_len). */
static void parse_request(const struct buf *in, size_t head_len, struct request *q)
{
	const unsigned char *p = in->p, *sp1, *sp2, *eol;
	char v[64];

	memset(q, 0, sizeof *q);
	q->head_len = head_len;
	eol = memchr(p, '\r', head_len);
	sp1 = memchr(p, ' ', head_len);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(p + head_len - sp1 - 1)) : NULL;
	if (!eol || !sp1 || !sp2 || sp2 > eol || (size_t)(sp1 - p) >= sizeof q->method ||
	    (size_t)(sp2 - sp1 - 1) >= sizeof q->path || sp1 == p || sp2 == sp1 + 1 ||
	    (eol - sp2 - 1) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0) {
		q->bad = 1;
		return;
	}
	memcpy(q->method, p, (size_t)(sp1 - p));
	memcpy(q->path, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	if (header(p, head_len, "Transfer-Encoding", v, sizeof v))
		q->chunked = 1;
	if (header(p, head_len, "Connection", v, sizeof v) && strcasecmp(v, "close") == 0)
		q->close = 1;
	if (header(p, head_len, "Expect", v, sizeof v) && strcasecmp(v, "100-continue") == 0)
		q->expect = 1;
	if (sp2[8] == '0')	/* HTTP/1.0: no keep-alive here */
		q->close = 1;
	if (header(p, head_len, "Content-Length", v, sizeof v) && parse_length(v, &q->body_len) != 0)
		q->bad = 1;
}

/* The request as sent upstream: as it came. */
static int build_forward(const struct buf *in, const struct request *q, struct buf *out)
{
	out->len = 0;
	return buf_add(out, in->p, q->head_len + q->body_len, (size_t)BODY_MAX + HEAD_MAX);
}

/* Answer status with a small JSON error of our own. */
static void answer_error(SSL *ssl, int status, const char *reason, const char *what, int close)
{
	char body[256], head[512];
	int bn, hn;

	bn = snprintf(body, sizeof body, "{\"error\":\"%s\",\"by\":\"faultproxy\"}\n", what);
	hn = snprintf(head, sizeof head,
		      "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
		      "Content-Length: %d\r\nConnection: %s\r\n\r\n",
		      status, reason, bn, close ? "close" : "keep-alive");
	if (write_all(ssl, head, (size_t)hn) == 0)
		write_all(ssl, body, (size_t)bn);
}

static void client_close(SSL *ssl)
{
	SSL_shutdown(ssl);	/* close_notify: an orderly end, as a server's */
}

/* Serve the request q, whole in in[0..), with the next fault.  1 to go
 * on with the next request on this connection, 0 to close it. */
static int serve_request(SSL *ssl, struct buf *in, struct upstream *u, struct request *q)
{
	struct fault f = next_fault();
	struct buf req = {0};
	struct response r = {0};
	char fname[32], key[KEY_MAX], status[16] = "-";
	int keep = !q->close, forwarded = 0, ok = 0;

	fault_text(&f, fname, sizeof fname);
	snprintf(key, sizeof key, "%s %s", q->method, q->path);
	if (build_forward(in, q, &req) != 0) {
		free(req.p);
		return 0;
	}
	buf_consume(in, q->head_len + q->body_len);

	if (f.kind == F_STALL) {
		struct timespec ts = { f.secs, 0 };

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	if (f.kind == F_REPLAY) {
		if (recorded_answer(key, &r.bytes)) {
			char v[16];

			log_line("%s %s fault=replay upstream=-", q->method, q->path);
			if (header(r.bytes.p, r.bytes.len, "Connection", v, sizeof v) &&
			    strcasecmp(v, "close") == 0)
				keep = 0;
			if (write_all(ssl, r.bytes.p, r.bytes.len) != 0)
				keep = 0;
			free(r.bytes.p);
			free(req.p);
			if (!keep)
				client_close(ssl);
			return keep;
		}
		snprintf(fname, sizeof fname, "replay(none:pass)");
	}
	if (f.kind == F_PASS || f.kind == F_STALL || f.kind == F_DROP_AFTER ||
	    f.kind == F_CUT || f.kind == F_REPLAY) {
		forwarded = 1;
		ok = forward(u, q, &req, &r) == 0;
		if (ok) {
			snprintf(status, sizeof status, "%d", r.status);
			record_answer(key, &r.bytes);
		} else {
			snprintf(status, sizeof status, "error");
		}
	}
	free(req.p);
	log_line("%s %s fault=%s upstream=%s", q->method, q->path, fname, status);

	if (forwarded && !ok) {
		answer_error(ssl, 502, "Bad Gateway", "the server cannot be reached", !keep);
	} else {
		switch (f.kind) {
		case F_PASS:
		case F_STALL:
		case F_REPLAY:
			if (r.until_close || r.close)	/* as the server said */
				keep = 0;
			if (write_all(ssl, r.bytes.p, r.bytes.len) != 0)
				keep = 0;
			break;
		case F_DROP:
		case F_DROP_AFTER:
			keep = 0;
			break;
		case F_500:
			answer_error(ssl, 500, "Internal Server Error", "injected by faultproxy", !keep);
			break;
		case F_GARBAGE: {
			unsigned char junk[GARBAGE_LEN];

			if (RAND_bytes(junk, sizeof junk) != 1)
				memset(junk, 0xA5, sizeof junk);
			junk[0] = 0x01;	/* never "HTTP/" */
			write_all(ssl, junk, sizeof junk);
			keep = 0;
			break;
		}
		case F_CUT:
			write_all(ssl, r.bytes.p, r.body_off + (r.bytes.len - r.body_off) / 2);
			keep = 0;
			break;
		}
	}
	free(r.bytes.p);
	if (!keep)
		client_close(ssl);
	return keep;
}

static void *client_thread(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct upstream u = { .fd = -1 };
	struct buf in = {0};
	SSL *ssl = SSL_new(srv_ctx);

	if (!ssl || SSL_set_fd(ssl, fd) != 1 || SSL_accept(ssl) != 1) {
		unsigned long e = ERR_peek_last_error();

		log_line("- - tls handshake failed: %s", e ? ERR_reason_error_string(e) : "closed");
		goto out;
	}
	for (;;) {
		struct request q;
		size_t end;
		int rc = read_head(ssl, &in, 0, &end);

		if (rc == 1 || rc == -1)
			break;
		if (rc == -2) {
			answer_error(ssl, 431, "Request Header Fields Too Large", "head over 64 KiB", 1);
			client_close(ssl);
			break;
		}
		parse_request(&in, end, &q);
		if (q.bad) {
			log_line("- - bad request");
			answer_error(ssl, 400, "Bad Request", "not an HTTP/1.x request", 1);
			client_close(ssl);
			break;
		}
		if (q.chunked) {
			log_line("%s %s fault=- upstream=- (501: Transfer-Encoding)", q.method, q.path);
			answer_error(ssl, 501, "Not Implemented", "Transfer-Encoding in a request", 1);
			client_close(ssl);
			break;
		}
		if (q.body_len > BODY_MAX) {
			log_line("%s %s fault=- upstream=- (413: body over 16 MiB)", q.method, q.path);
			answer_error(ssl, 413, "Content Too Large", "body over 16 MiB", 1);
			client_close(ssl);
			break;
		}
		if (q.expect && q.body_len > in.len - end &&
		    write_all(ssl, "HTTP/1.1 100 Continue\r\n\r\n", 25) != 0)
			break;
		if (read_until(ssl, &in, end + q.body_len, (size_t)BODY_MAX + HEAD_MAX + 16384) != 0)
			break;
		if (!serve_request(ssl, &in, &u, &q))
			break;
	}
out:
	up_close(&u);
	free(u.in.p);
	free(in.p);
	if (ssl)
		SSL_free(ssl);
	close(fd);
	ERR_clear_error();
	pthread_mutex_lock(&mu);
	n_conns--;
	pthread_mutex_unlock(&mu);
	return NULL;
}

/* ---- start ---- */

static int listen_on(int p, int *port)
{
	struct sockaddr_in a = {0};
	socklen_t al = sizeof a;
	int one = 1, fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)p);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

static int usage(const char *why)
{
	fprintf(stderr,
		"faultproxy: %s\n"
		"usage: faultproxy LISTEN_PORT UPSTREAM_HOST:PORT CERT KEY [--faults SPEC]"
		" [--control FIFO] [--log FILE]\n"
		"  SPEC: pass,drop,drop-after,stall:N,500,garbage,cut,replay (item*N repeats)\n",
		why);
	return 2;
}

static int setup_tls(const char *cert, const char *key)
{
	srv_ctx = SSL_CTX_new(TLS_server_method());
	up_ctx = SSL_CTX_new(TLS_client_method());
	if (!srv_ctx || !up_ctx)
		return -1;
	SSL_CTX_set_min_proto_version(srv_ctx, TLS1_2_VERSION);
	SSL_CTX_set_min_proto_version(up_ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(up_ctx, SSL_VERIFY_NONE, NULL);	/* loopback, a test */
	if (SSL_CTX_use_certificate_chain_file(srv_ctx, cert) != 1) {
		fprintf(stderr, "faultproxy: cannot use the certificate %s\n", cert);
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(srv_ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(srv_ctx) != 1) {
		fprintf(stderr, "faultproxy: cannot use the key %s (with %s)\n", key, cert);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {0};
	sigset_t block, old;
	const char *colon, *spec = NULL, *ctl = NULL, *logp = NULL;
	char *end;
	long lp;
	int lfd, port;

	if (argc < 5)
		return usage("too few arguments");
	errno = 0;
	lp = strtol(argv[1], &end, 10);
	if (errno || end == argv[1] || *end || lp < 0 || lp > 65535)
		return usage("LISTEN_PORT is not a port");
	colon = strrchr(argv[2], ':');
	if (!colon || colon == argv[2] || (size_t)(colon - argv[2]) >= sizeof up_host ||
	    strlen(colon + 1) == 0 || strlen(colon + 1) >= sizeof up_port)
		return usage("UPSTREAM is not HOST:PORT");
	memcpy(up_host, argv[2], (size_t)(colon - argv[2]));
	snprintf(up_port, sizeof up_port, "%s", colon + 1);
	for (int i = 5; i < argc; i++) {
		if (i + 1 >= argc)
			return usage("an option without its value");
		if (strcmp(argv[i], "--faults") == 0)
			spec = argv[++i];
		else if (strcmp(argv[i], "--control") == 0)
			ctl = argv[++i];
		else if (strcmp(argv[i], "--log") == 0)
			logp = argv[++i];
		else
			return usage("unknown option");
	}
	if (spec && parse_spec(spec, queue, QUEUE_MAX, &q_len) != 0)
		return usage("bad --faults SPEC");
	log_f = stdout;
	if (logp && !(log_f = fopen(logp, "a")))
		return usage("cannot open the --log file");
	/* O_RDWR: the FIFO never reads as ended while no test holds it open */
	if (ctl && (ctl_fd = open(ctl, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
		return usage("cannot open the --control FIFO");
	if (setup_tls(argv[3], argv[4]) != 0)
		return 2;

	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a client gone while stalled */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		return 0;	/* the parent died before PDEATHSIG was set */

	lfd = listen_on((int)lp, &port);
	if (lfd < 0) {
		fprintf(stderr, "faultproxy: cannot listen on 127.0.0.1:%ld: %s\n", lp,
			strerror(errno));
		return 2;
	}
	printf("listening 127.0.0.1:%d\n", port);
	fflush(stdout);

	/* the threads leave SIGTERM and SIGINT to this one */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	while (!stop) {
		struct pollfd pfd = { lfd, POLLIN, 0 };
		pthread_attr_t attr;
		pthread_t t;
		int fd, full;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		pthread_mutex_lock(&mu);
		full = n_conns >= CONN_MAX;
		if (!full)
			n_conns++;
		pthread_mutex_unlock(&mu);
		if (full) {
			close(fd);
			continue;
		}
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_sigmask(SIG_BLOCK, &block, &old);
		if (pthread_create(&t, &attr, client_thread, (void *)(intptr_t)fd) != 0) {
			close(fd);
			pthread_mutex_lock(&mu);
			n_conns--;
			pthread_mutex_unlock(&mu);
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		pthread_attr_destroy(&attr);
	}
	close(lfd);
	pthread_mutex_lock(&mu);
	fflush(log_f);
	/* exit with the lock held: no thread writes a half line into the log */
	_exit(0);
}
