/* printer_cups.c: an ESC/POS thermal receipt printer on a CUPS raw queue
 * ("cups:<queue>[,width=384|576][,timeout=<seconds>]").
 *
 * print() draws the slip as a 1-bit raster (raster_render), encodes it as
 * ESC/POS raster bands with a cut (escpos_encode), streams the bytes to the
 * queue as one raw job (Create-Job, Send-Document) and returns: the load never
 * waits on the paper.  Only when the scheduler (cupsd) cannot take the job at
 * all does print() fail, at once, with HG_EIO.
 *
 * A follower thread then watches every job it took until the job completes or
 * is given up, and reports each ending through poll().  A job is given up
 * when its queue is stopped, the printer says it is out of paper, jammed,
 * open or offline, the queue is gone, cupsd cannot be reached for a second,
 * or the job has not completed within the timeout.  A job given up is
 * cancelled, so that it never comes out hours later when someone fixes the
 * printer; when cupsd is down the cancel is kept and sent once it is back
 * (after checking the job id still names our job).
 *
 * The default timeout is 30 s: a thermal printer prints a receipt in 1–3 s
 * and CUPS hands a raw job over in well under one, so 30 s leaves room for a
 * label and a receipt queued behind each other and a printer waking up, while
 * the hauler is still at the kiosk to read that the receipt did not print.
 *
 * libcups connections are not shared between threads: print() opens its own
 * connection for each job (a local socket connect costs well under a
 * millisecond, and a fresh one never trips over a cupsd that restarted
 * since), and the follower keeps one of its own.  Every request has an I/O
 * timeout, and close() stops the follower within a quarter of a second even
 * when cupsd hangs.  Start reading at cups_print(), then follow(). */
#include "printer.h"
#include "raster.h"
#include "../core/text.h"
#include "drv.h"

#include <cups/cups.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CP_QUEUE_MAX 127	/* characters of a CUPS queue name */
#define CP_JOBS 64		/* jobs followed at once */
#define CP_DONE 64		/* endings waiting for poll() */
#define CP_CANCELS 64		/* cancels waiting for cupsd to come back */
#define CP_TICK_MS 200		/* the follower looks this often */
#define CP_CONNECT_MS 1000	/* connecting to cupsd */
#define CP_IO_SLICE 0.25	/* seconds between checks for close() while waiting on cupsd */
#define CP_IO_SLICES 8		/* ... and how many of them a request may take (2 s) */
#define CP_GONE_MS 1000		/* cupsd unreachable this long: its jobs are given up */
#define CP_TIMEOUT_DEFAULT 30
#define CP_TIMEOUT_MAX 3600

struct followed {
	int id;			/* CUPS job id */
	char name[48];
	enum print_kind kind;
	long long since_ms;	/* submitted, monotonic */
};

struct pending_cancel {
	int id;
	char name[48];
};

struct printer_dev {
	char queue[CP_QUEUE_MAX + 1];
	char server[256];	/* cupsServer() at open: a socket path or host[:port] */
	int width;
	int timeout_s;

	pthread_t thread;
	int thread_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* print() and close() wake the follower */
	int stop;		/* under mu; also read bare by the I/O timeout check */

	struct followed jobs[CP_JOBS];	/* under mu */
	int n_jobs;
	struct print_done done[CP_DONE];	/* under mu */
	int n_done;

	/* the follower's own, no lock */
	http_t *http;
	int io_waits;
	long long gone_since_ms;	/* 0 = cupsd answered last time */
	struct pending_cancel cancels[CP_CANCELS];
	int n_cancels;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- options ---- */

static int queue_ok(const char *q, size_t n)
{
	if (n == 0 || n > CP_QUEUE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = q[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

/* "<queue>[,width=384|576][,timeout=<seconds>]" into d. */
static int parse_arg(struct printer_dev *d, const char *arg)
{
	const char *comma = strchr(arg, ',');
	size_t qn = comma ? (size_t)(comma - arg) : strlen(arg);

	if (!queue_ok(arg, qn))
		return HG_EINVAL;
	memcpy(d->queue, arg, qn);
	d->queue[qn] = 0;
	d->width = 576;
	d->timeout_s = CP_TIMEOUT_DEFAULT;
	while (comma) {
		const char *opt = comma + 1;
		size_t olen;
		long v;

		comma = strchr(opt, ',');
		olen = comma ? (size_t)(comma - opt) : strlen(opt);
		if (olen > 6 && strncmp(opt, "width=", 6) == 0) {
			v = drv_number(opt + 6, olen - 6, 384, 1024);
			if (v < 0 || v % 8)
				return HG_EINVAL;
			d->width = (int)v;
		} else if (olen > 8 && strncmp(opt, "timeout=", 8) == 0) {
			v = drv_number(opt + 8, olen - 8, 1, CP_TIMEOUT_MAX);
			if (v < 0)
				return HG_EINVAL;
			d->timeout_s = (int)v;
		} else {
			return HG_EINVAL;
		}
	}
	return HG_OK;
}

/* ---- talking to cupsd ---- */

/* libcups calls this when a read or write has waited CP_IO_SLICE seconds;
 * 0 ends the request.  The bare read of stop is a hint: at worst one more
 * slice passes. */
static int io_wait(http_t *http, void *ctx)
{
	struct printer_dev *d = ctx;

	(void)http;
	return !__atomic_load_n(&d->stop, __ATOMIC_RELAXED) && ++d->io_waits < CP_IO_SLICES;
}

static http_t *connect_cupsd(const char *server, int *cancel)
{
	return httpConnect2(server, ippPort(), NULL, AF_UNSPEC, cupsEncryption(), 1, CP_CONNECT_MS,
			    cancel);
}

/* ---- print(): submit and return ---- */

/* Stream bytes to the queue as one raw job; the job id, or 0 when cupsd did
 * not take it (not running, no such queue, queue rejecting jobs). */
static int submit(struct printer_dev *d, const struct print_job *job, const uint8_t *buf,
		  size_t n)
{
	http_t *http;
	int id;

	http = connect_cupsd(d->server, NULL);
	if (!http)
		return 0;
	httpSetTimeout(http, 2.0, NULL, NULL);
	id = cupsCreateJob(http, d->queue, job->name, 0, NULL);
	if (id <= 0) {
		httpClose(http);
		return 0;
	}
	if (cupsStartDocument(http, d->queue, id, job->name, CUPS_FORMAT_RAW, 1) !=
		    HTTP_STATUS_CONTINUE ||
	    cupsWriteRequestData(http, (const char *)buf, n) != HTTP_STATUS_CONTINUE ||
	    cupsFinishDocument(http, d->queue) != IPP_STATUS_OK) {
		cupsCancelJob2(http, d->queue, id, 0);
		httpClose(http);
		return 0;
	}
	httpClose(http);
	return id;
}

/* HG_OK: cupsd has the job, which is followed from now on (see poll);
 * HG_EIO: cupsd could not take it (not running, queue unknown or rejecting);
 * HG_EINVAL, HG_ETOOLONG, HG_ENOMEM: a job that cannot be drawn. */
static int cups_print(struct printer_dev *d, const struct print_job *job)
{
	struct raster r = {0};
	uint8_t *buf = NULL;
	size_t n = 0;
	int rc, id;

	if (!d || !job || !job->text || !job->name || strlen(job->name) >= sizeof d->jobs[0].name ||
	    (unsigned)job->kind >= PRINT_KIND_COUNT)
		return HG_EINVAL;
	rc = raster_render(job, d->width, &r);
	if (rc)
		return rc;
	rc = escpos_encode(&r, 1, &buf, &n);
	raster_free(&r);
	if (rc)
		return rc;

	pthread_mutex_lock(&d->mu);
	rc = d->n_jobs < CP_JOBS ? HG_OK : HG_EBUSY;
	pthread_mutex_unlock(&d->mu);
	if (rc) {
		free(buf);
		return HG_EIO;	/* 64 jobs unfinished: the printer is not printing */
	}
	id = submit(d, job, buf, n);
	free(buf);
	if (id <= 0)
		return HG_EIO;

	pthread_mutex_lock(&d->mu);
	struct followed *f = &d->jobs[d->n_jobs++];	/* room checked above; one caller */

	f->id = id;
	snprintf(f->name, sizeof f->name, "%s", job->name);
	f->kind = job->kind;
	f->since_ms = now_ms();
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	return HG_OK;
}

/* ---- the follower ---- */

struct queue_state {
	int found;		/* the queue exists */
	int state;		/* IPP_PSTATE_* */
	char reasons[256];	/* printer-state-reasons, comma-separated */
	char message[128];	/* printer-state-message */
};

struct job_state {
	int found;
	int state;		/* IPP_JSTATE_* */
	char name[48];
	char message[128];	/* job-printer-state-message */
};

/* One IPP request on the follower's connection; NULL when cupsd did not
 * answer (gone, hung), which also drops the connection. */
static ipp_t *request(struct printer_dev *d, ipp_t *req)
{
	ipp_t *resp;

	d->io_waits = 0;
	resp = cupsDoRequest(d->http, req, "/");
	if (!resp) {
		httpClose(d->http);
		d->http = NULL;
	}
	return resp;
}

static void copy_text(ipp_t *resp, const char *attr, char *out, size_t cap)
{
	ipp_attribute_t *a = ippFindAttribute(resp, attr, IPP_TAG_ZERO);
	const char *s = a ? ippGetString(a, 0, NULL) : NULL;

	snprintf(out, cap, "%s", s ? s : "");
}

/* One Get-*-Attributes request for the object at path ("/printers/q",
 * "/jobs/7"), named by uri_attr ("printer-uri", "job-uri"), asking for
 * want[0..n).  HG_OK with *resp the answer, or *resp NULL when cupsd says no
 * such object; HG_EIO when cupsd cannot be asked. */
static int get_attrs(struct printer_dev *d, ipp_op_t op, const char *uri_attr,
		     const char *path, const char *const *want, int n, ipp_t **resp)
{
	char uri[HTTP_MAX_URI];
	ipp_t *req;

	httpAssembleURI(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL, "localhost", 0,
			path);
	req = ippNewRequest(op);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, uri_attr, NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
		     cupsUser());
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", n,
		      NULL, want);
	*resp = request(d, req);
	if (!*resp)
		return HG_EIO;
	if (ippGetStatusCode(*resp) > IPP_STATUS_OK_EVENTS_COMPLETE) {
		ippDelete(*resp);
		*resp = NULL;
	}
	return HG_OK;
}

static int get_queue(struct printer_dev *d, struct queue_state *q)
{
	static const char *const want[] = {"printer-state", "printer-state-reasons",
					   "printer-state-message"};
	char path[HTTP_MAX_URI];
	ipp_attribute_t *a;
	ipp_t *resp;
	size_t used = 0;

	memset(q, 0, sizeof *q);
	snprintf(path, sizeof path, "/printers/%s", d->queue);
	if (get_attrs(d, IPP_OP_GET_PRINTER_ATTRIBUTES, "printer-uri", path, want,
		      (int)HG_ARRAY_LEN(want), &resp) != HG_OK)
		return HG_EIO;
	if (!resp)
		return HG_OK;	/* found = 0: no such queue */
	q->found = 1;
	a = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM);
	q->state = a ? ippGetInteger(a, 0) : IPP_PSTATE_IDLE;
	a = ippFindAttribute(resp, "printer-state-reasons", IPP_TAG_KEYWORD);
	for (int i = 0; a && i < ippGetCount(a); i++) {
		const char *s = ippGetString(a, i, NULL);
		int w = snprintf(q->reasons + used, sizeof q->reasons - used, "%s%s",
				 used ? "," : "", s ? s : "");

		if (w < 0 || (size_t)w >= sizeof q->reasons - used)
			break;
		used += (size_t)w;
	}
	copy_text(resp, "printer-state-message", q->message, sizeof q->message);
	ippDelete(resp);
	return HG_OK;
}

static int get_job(struct printer_dev *d, int id, struct job_state *j)
{
	static const char *const want[] = {"job-state", "job-name", "job-printer-state-message"};
	char path[32];
	ipp_attribute_t *a;
	ipp_t *resp;

	memset(j, 0, sizeof *j);
	snprintf(path, sizeof path, "/jobs/%d", id);
	if (get_attrs(d, IPP_OP_GET_JOB_ATTRIBUTES, "job-uri", path, want,
		      (int)HG_ARRAY_LEN(want), &resp) != HG_OK)
		return HG_EIO;
	if (!resp)
		return HG_OK;	/* found = 0: cupsd forgot it */
	j->found = 1;
	a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
	j->state = a ? ippGetInteger(a, 0) : IPP_JSTATE_PENDING;
	copy_text(resp, "job-name", j->name, sizeof j->name);
	copy_text(resp, "job-printer-state-message", j->message, sizeof j->message);
	ippDelete(resp);
	return HG_OK;
}

/* Is keyword (e.g. "media-empty") among the reasons, with any severity but
 * "-report" (for information only)? */
static int has_reason(const char *reasons, const char *keyword)
{
	size_t kn = strlen(keyword);
	const char *p = reasons;

	while ((p = strstr(p, keyword)) != NULL) {
		const char *e = p + kn;

		if ((p == reasons || p[-1] == ',') &&
		    (*e == 0 || *e == ',' || strncmp(e, "-error", 6) == 0 ||
		     strncmp(e, "-warning", 8) == 0))
			return 1;
		p = e;
	}
	return 0;
}

/* Why the queue cannot print now, in English, or "" when it can. */
static void queue_trouble(const struct printer_dev *d, const struct queue_state *q, char *why,
			  size_t cap)
{
	static const struct {
		const char *reason, *says;
	} table[] = {
		{"media-empty", "the printer is out of paper"},
		{"media-needed", "the printer is out of paper"},
		{"media-jam", "the paper is jammed"},
		{"cover-open", "the printer's cover is open"},
		{"door-open", "the printer's cover is open"},
		{"offline", "the printer is offline"},
	};
	const char *msg = q->message[0] ? q->message : "";
	const char *sep = q->message[0] ? ": " : "";

	why[0] = 0;
	if (!q->found) {
		snprintf(why, cap, "the print queue '%.40s' does not exist", d->queue);
		return;
	}
	for (size_t i = 0; i < HG_ARRAY_LEN(table); i++) {
		if (has_reason(q->reasons, table[i].reason)) {
			snprintf(why, cap, "%s%s%.80s", table[i].says, sep, msg);
			return;
		}
	}
	if (q->state == IPP_PSTATE_STOPPED)
		snprintf(why, cap, "the print queue '%.40s' is stopped%s%.80s", d->queue, sep, msg);
}

/* Cancel job id if it is still ours and not ended.  HG_OK done (or nothing
 * to do), HG_EIO cupsd did not answer: try again later. */
static int cancel_if_ours(struct printer_dev *d, int id, const char *name)
{
	struct job_state j;
	ipp_status_t st;

	if (get_job(d, id, &j))
		return HG_EIO;
	if (!j.found || strcmp(j.name, name) != 0 || j.state >= IPP_JSTATE_CANCELED)
		return HG_OK;
	d->io_waits = 0;
	st = cupsCancelJob2(d->http, d->queue, id, 0);
	if (st == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || st == IPP_STATUS_ERROR_INTERNAL) {
		httpClose(d->http);
		d->http = NULL;
		return HG_EIO;
	}
	return HG_OK;
}

static void keep_cancel(struct printer_dev *d, int id, const char *name)
{
	if (d->n_cancels == CP_CANCELS) {	/* the oldest is the least likely to matter */
		memmove(d->cancels, d->cancels + 1, sizeof d->cancels[0] * (CP_CANCELS - 1));
		d->n_cancels--;
	}
	d->cancels[d->n_cancels].id = id;
	snprintf(d->cancels[d->n_cancels].name, sizeof d->cancels[0].name, "%s", name);
	d->n_cancels++;
}

/* Report job i's ending and stop following it.  Under mu.  0 when there is
 * no room for the report yet (the job stays followed). */
static int job_ended(struct printer_dev *d, int i, int ok, const char *why)
{
	struct print_done *p;

	if (d->n_done == CP_DONE)
		return 0;
	p = &d->done[d->n_done++];
	memset(p, 0, sizeof *p);
	memcpy(p->name, d->jobs[i].name, sizeof p->name);	/* both char[48] */
	p->kind = d->jobs[i].kind;
	p->ok = ok;
	if (!ok) {
		size_t wn = strnlen(why, sizeof p->why - 1);

		memcpy(p->why, why, wn);	/* cut at the end: the start says what */
		p->why[wn] = 0;
	}
	d->jobs[i] = d->jobs[--d->n_jobs];
	return 1;
}

/* The verdict on one job: 1 printed, 0 given up (why), -1 still going. */
static int judge(const struct printer_dev *d, const struct followed *f, const struct job_state *j,
		 const struct queue_state *q, const char *trouble, long long now, char *why,
		 size_t cap)
{
	const char *said = j->message[0] ? j->message : q->message;

	if (!j->found) {
		snprintf(why, cap, "the print server (cupsd) no longer knows the job");
		return 0;
	}
	if (j->state == IPP_JSTATE_COMPLETED)
		return 1;
	if (j->state == IPP_JSTATE_CANCELED || j->state == IPP_JSTATE_ABORTED) {
		snprintf(why, cap, "the job was %s in the print server%s%.80s",
			 j->state == IPP_JSTATE_CANCELED ? "cancelled" : "aborted",
			 j->message[0] ? ": " : "", j->message);
		return 0;
	}
	if (trouble[0]) {
		snprintf(why, cap, "%.*s", (int)cap - 1, trouble);
		return 0;
	}
	if (now - f->since_ms >= (long long)d->timeout_s * 1000) {
		snprintf(why, cap, "not printed within %d s (out of paper, jammed or not "
			 "answering?)%s%.60s", d->timeout_s, said[0] ? ": " : "", said);
		return 0;
	}
	return -1;
}

/* One look at every followed job. */
static void follow_once(struct printer_dev *d)
{
	struct followed snap[CP_JOBS];
	struct queue_state q;
	char trouble[160], why[128];
	long long now = now_ms();
	int n;

	pthread_mutex_lock(&d->mu);
	n = d->n_jobs;
	memcpy(snap, d->jobs, sizeof snap[0] * (size_t)n);
	pthread_mutex_unlock(&d->mu);

	if (!d->http) {
		d->http = connect_cupsd(d->server, &d->stop);
		if (d->http)
			httpSetTimeout(d->http, CP_IO_SLICE, io_wait, d);
	}
	if (d->http && get_queue(d, &q) == HG_OK) {
		d->gone_since_ms = 0;
	} else {
		/* cupsd does not answer: after CP_GONE_MS every job is given up,
		 * and their cancels wait for it to come back */
		if (!d->gone_since_ms)
			d->gone_since_ms = now;
		if (n == 0 || now - d->gone_since_ms < CP_GONE_MS)
			return;
		pthread_mutex_lock(&d->mu);
		for (int i = d->n_jobs - 1; i >= 0; i--) {
			int id = d->jobs[i].id;
			char name[48];

			memcpy(name, d->jobs[i].name, sizeof name);
			if (job_ended(d, i, 0, "the print server (cupsd) cannot be reached"))
				keep_cancel(d, id, name);
		}
		pthread_mutex_unlock(&d->mu);
		return;
	}

	/* cupsd is back (or never left): send the cancels it missed */
	while (d->n_cancels > 0 &&
	       cancel_if_ours(d, d->cancels[0].id, d->cancels[0].name) == HG_OK) {
		memmove(d->cancels, d->cancels + 1, sizeof d->cancels[0] * (size_t)--d->n_cancels);
	}

	queue_trouble(d, &q, trouble, sizeof trouble);
	for (int k = 0; k < n && d->http; k++) {
		struct job_state j;
		int verdict;

		if (get_job(d, snap[k].id, &j))
			break;	/* cupsd went away: the next round says so */
		verdict = judge(d, &snap[k], &j, &q, trouble, now, why, sizeof why);
		if (verdict < 0)
			continue;
		if (verdict == 0 && cancel_if_ours(d, snap[k].id, snap[k].name) != HG_OK)
			keep_cancel(d, snap[k].id, snap[k].name);
		pthread_mutex_lock(&d->mu);
		for (int i = 0; i < d->n_jobs; i++) {
			if (d->jobs[i].id == snap[k].id) {
				job_ended(d, i, verdict, why);
				break;
			}
		}
		pthread_mutex_unlock(&d->mu);
	}
}

static void *follow(void *arg)
{
	struct printer_dev *d = arg;

	pthread_mutex_lock(&d->mu);
	while (!d->stop) {
		struct timespec until;
		int busy = d->n_jobs > 0 || d->n_cancels > 0;

		if (busy) {
			pthread_mutex_unlock(&d->mu);
			follow_once(d);
			pthread_mutex_lock(&d->mu);
			if (d->stop)
				break;
		}
		/* nothing to follow: sleep until print() or close() */
		if (d->n_jobs == 0 && d->n_cancels == 0) {
			pthread_cond_wait(&d->cv, &d->mu);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += CP_TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&d->cv, &d->mu, &until);
	}
	pthread_mutex_unlock(&d->mu);
	if (d->http)
		httpClose(d->http);
	d->http = NULL;
	return NULL;
}

/* ---- the ops ---- */

static int cups_poll(struct printer_dev *d, struct print_done *out, int cap)
{
	int n;

	if (!d || !out || cap <= 0)
		return 0;
	pthread_mutex_lock(&d->mu);
	n = d->n_done < cap ? d->n_done : cap;
	memcpy(out, d->done, sizeof out[0] * (size_t)n);
	memmove(d->done, d->done + n, sizeof d->done[0] * (size_t)(d->n_done - n));
	d->n_done -= n;
	pthread_mutex_unlock(&d->mu);
	return n;
}

static void cups_close(struct printer_dev *d)
{
	if (!d)
		return;
	if (d->thread_started) {
		pthread_mutex_lock(&d->mu);
		__atomic_store_n(&d->stop, 1, __ATOMIC_RELAXED);
		pthread_cond_signal(&d->cv);
		pthread_mutex_unlock(&d->mu);
		pthread_join(d->thread, NULL);
	}
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	free(d);
}

/* For `hw check`: ask cupsd about the queue now, on a connection of the
 * caller's own (the follower's is its thread's alone). */
static int cups_check(struct printer_dev *d, char *msg, size_t cap)
{
	struct queue_state q;
	cups_dest_t *dest;
	const char *v;
	http_t *http;
	char why[256];
	long state;
	int accepting;

	http = connect_cupsd(d->server, NULL);
	if (!http) {
		snprintf(msg, cap, "cupsd cannot be reached at %s", d->server);
		return HG_EIO;
	}
	httpSetTimeout(http, 2.0, NULL, NULL);
	dest = cupsGetNamedDest(http, d->queue, NULL);
	httpClose(http);
	memset(&q, 0, sizeof q);
	q.found = dest != NULL;
	v = dest ? cupsGetOption("printer-state", dest->num_options, dest->options) : NULL;
	q.state = v && text_parse_long(v, IPP_PSTATE_IDLE, IPP_PSTATE_STOPPED, &state) == HG_OK
			  ? (int)state : IPP_PSTATE_IDLE;
	v = dest ? cupsGetOption("printer-state-reasons", dest->num_options, dest->options) : NULL;
	snprintf(q.reasons, sizeof q.reasons, "%s", v ? v : "");
	v = dest ? cupsGetOption("printer-state-message", dest->num_options, dest->options) : NULL;
	snprintf(q.message, sizeof q.message, "%s", v ? v : "");
	v = dest ? cupsGetOption("printer-is-accepting-jobs", dest->num_options, dest->options)
		 : NULL;
	accepting = !v || strcmp(v, "false") != 0;
	cupsFreeDests(dest ? 1 : 0, dest);
	queue_trouble(d, &q, why, sizeof why);
	if (!why[0] && !accepting)
		snprintf(why, sizeof why, "the print queue '%.40s' is rejecting jobs", d->queue);
	if (why[0]) {
		snprintf(msg, cap, "%s", why);
		return HG_EIO;
	}
	snprintf(msg, cap, "queue %s %s, %d dots wide (%s mm paper)", d->queue,
		 q.state == IPP_PSTATE_PROCESSING ? "printing" : "ready", d->width,
		 d->width >= 576 ? "80" : "58");
	return HG_OK;
}

/* HG_OK; HG_EINVAL for a bad argument; HG_ENOMEM, HG_EIO (no thread).  A
 * cupsd that is not running is not an error here: each print() says so. */
static int cups_open(struct printer_dev **out, const char *arg)
{
	struct printer_dev *d;
	pthread_condattr_t ca;
	const char *server;

	if (!out)
		return HG_EINVAL;
	*out = NULL;
	if (!arg)
		return HG_EINVAL;
	d = calloc(1, sizeof *d);
	if (!d)
		return HG_ENOMEM;
	if (parse_arg(d, arg) != HG_OK) {
		free(d);
		return HG_EINVAL;
	}
	server = cupsServer();
	if (!server || strlen(server) >= sizeof d->server) {
		free(d);
		return HG_EINVAL;
	}
	memcpy(d->server, server, strlen(server) + 1);
	pthread_mutex_init(&d->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&d->thread, NULL, follow, d) != 0) {
		cups_close(d);
		return HG_EIO;
	}
	d->thread_started = 1;
	*out = d;
	return HG_OK;
}

const struct printer_ops printer_cups_ops = {
	.scheme = "cups",
	.open = cups_open,
	.print = cups_print,
	.poll = cups_poll,
	.check = cups_check,
	.close = cups_close,
};
