#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../base/limits.h"
#include "../base/log.h"
#include "../base/str.h"
#include "../handler/admin.h"
#include "encode.h"
#include "form.h"
#include "metrics.h"
#include "multipart.h"
#include "pagecache.h"

/* One request's state, created on the first access-handler call and
 * freed by on_completed(). Everything else hangs off its arena. */
struct rstate {
	struct arena a;
	struct req rq;
	struct buf body;
	struct form_field *form;
	size_t nform;
	struct form_field *fnames; /* multipart file parts: name -> index */
	struct req_file *files;
	size_t nfiles;
	int admin;              /* POST under /admin/ with a valid session */
	int too_big;
	int early_status;       /* error found on the first call, sent later */
	const char *early_msg;
	int status;
	size_t bytes;
	struct timespec t0;
	const char *method_str;
	size_t nargs;           /* query arguments */
	const char *route;      /* label for /metrics */
	enum metrics_source src;
	/* A comment post runs on a writer thread (see offload()). */
	struct app *app;
	struct MHD_Connection *conn;
	struct resp done;
	int ready;
};

static atomic_int inflight;

static void conf_enter(struct app *app);
static void conf_leave(struct app *app);

/*
 * Comment posts wait for their commit to reach the disk. On an MHD worker
 * thread that wait would stall every other connection the thread serves
 * (readers of the cached article included), so a post is handed to a
 * writer thread: the connection is suspended, the writer runs the handler
 * (the group commit lets concurrent posts share one fsync), stores the
 * answer and resumes the connection; MHD then calls on_request again and
 * the answer is queued there. At most WRITERS run at once; past that a
 * post runs inline, as before.
 */
#define WRITERS 64
static atomic_int writers;

static void *
writer_main(void *arg)
{
	struct rstate *st = arg;

	memset(&st->done, 0, sizeof(st->done));
	buf_init(&st->done.body, 0);
	st->done.status = 200;
	conf_enter(st->app);
	routes_dispatch(st->app, &st->rq, &st->done);
	conf_leave(st->app);
	st->ready = 1;
	atomic_fetch_sub(&writers, 1);
	MHD_resume_connection(st->conn);
	return NULL;
}

/* 1 if the request went to a writer thread (connection suspended). */
static int
offload(struct app *app, struct rstate *st, struct MHD_Connection *c)
{
	pthread_attr_t at;
	pthread_t t;
	int ok;

	if (atomic_fetch_add(&writers, 1) >= WRITERS) {
		atomic_fetch_sub(&writers, 1);
		return 0;
	}
	st->app = app;
	st->conn = c;
	MHD_suspend_connection(c);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&at, 256 * 1024);
	ok = pthread_create(&t, &at, writer_main, st) == 0;
	pthread_attr_destroy(&at);
	if (!ok) {
		atomic_fetch_sub(&writers, 1);
		MHD_resume_connection(c);
	}
	return ok;
}

/* Default worker threads per core (threads = 0 in parley.conf). */
#define HTTP_THREADS_PER_CORE 1

static const char *
get_value(const struct req *rq, enum MHD_ValueKind kind, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, kind, name);
}

static const char *
rq_header(const struct req *rq, const char *name)
{
	return get_value(rq, MHD_HEADER_KIND, name);
}

static const char *
rq_cookie(const struct req *rq, const char *name)
{
	return get_value(rq, MHD_COOKIE_KIND, name);
}

static const char *
rq_query(const struct req *rq, const char *name)
{
	return get_value(rq, MHD_GET_ARGUMENT_KIND, name);
}

static const char *
rq_form(const struct req *rq, const char *name)
{
	const struct rstate *st = (const struct rstate *)
	    ((const char *)rq - offsetof(struct rstate, rq));

	return form_get(st->form, st->nform, name);
}

static size_t
rq_form_all(const struct req *rq, const char *name, const char **out,
    size_t max)
{
	const struct rstate *st = (const struct rstate *)
	    ((const char *)rq - offsetof(struct rstate, rq));
	size_t i, k = 0;

	for (i = 0; i < st->nform; i++)
		if (strcmp(st->form[i].name, name) == 0) {
			if (k < max)
				out[k] = st->form[i].value;
			k++;
		}
	return k;
}

static const struct req_file *
rq_file(const struct req *rq, const char *name)
{
	const struct rstate *st = (const struct rstate *)
	    ((const char *)rq - offsetof(struct rstate, rq));
	size_t i;

	for (i = 0; i < st->nfiles; i++)
		if (strcmp(st->fnames[i].name, name) == 0)
			return &st->files[i];
	return NULL;
}

/* A multipart body: text parts become form fields (NUL-free, like the
 * urlencoded ones), file parts files. */
static enum perr
parse_multipart(struct rstate *st, const char *ct)
{
	struct mp_part *parts;
	const char *boundary;
	size_t n, i;
	enum perr e;

	if ((e = multipart_boundary(&st->a, ct, &boundary)) != P_OK)
		return e;
	if ((e = multipart_parse(&st->a, st->rq.body, st->rq.body_len,
	    boundary, &parts, &n)) != P_OK)
		return e;
	st->form = arena_alloc(&st->a, sizeof(*st->form) * (n ? n : 1));
	st->fnames = arena_alloc(&st->a, sizeof(*st->fnames) * (n ? n : 1));
	st->files = arena_alloc(&st->a, sizeof(*st->files) * (n ? n : 1));
	for (i = 0; i < n; i++) {
		if (parts[i].filename) {
			struct req_file *f = &st->files[st->nfiles];

			f->filename = parts[i].filename;
			f->type = parts[i].type;
			f->data = (const unsigned char *)parts[i].data;
			f->len = parts[i].len;
			st->fnames[st->nfiles++].name = parts[i].name;
			continue;
		}
		if (memchr(parts[i].data, '\0', parts[i].len))
			return P_BADINPUT;
		st->form[st->nform].name = parts[i].name;
		st->form[st->nform].value = arena_strndup(&st->a,
		    parts[i].data, parts[i].len);
		st->nform++;
	}
	return P_OK;
}

static const char *
client_ip(struct arena *a, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	char host[INET6_ADDRSTRLEN] = "";

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
			    &((const struct sockaddr_in *)sa)->sin_addr, host,
			    sizeof(host));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
			    &((const struct sockaddr_in6 *)sa)->sin6_addr, host,
			    sizeof(host));
	}
	return arena_strdup(a, host[0] ? host : "unknown");
}

static enum MHD_Result
add_len(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	size_t *n = cls;

	n[0] += strlen(k) + (v ? strlen(v) : 0) + 2;
	n[1]++;
	return MHD_YES;
}

/* Handlers read app->conf; a settings swap waits for them (app.h). */
static void
conf_enter(struct app *app)
{
	app_settings_refresh(app);
	pthread_rwlock_rdlock(&app->conf_lock);
}

static void
conf_leave(struct app *app)
{
	pthread_rwlock_unlock(&app->conf_lock);
}

/* Cache-Control when the handler chose none: revalidate successes, keep
 * no copy of failures (they are often transient). */
static const char *
default_cache_control(int status)
{
	if (status >= 200 && status < 300)
		return "no-cache";
	if (status >= 400)
		return status >= 500 || status == 429 ? "no-store" : "no-cache";
	return NULL;
}

static int
has_header(const struct resp *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nheaders; i++)
		if (!strcasecmp(rs->hname[i], name))
			return 1;
	return 0;
}

/* Vary for a text answer: a page with slots (an article) also differs by
 * the reader's cookies (their name in the form, their held comments). */
static const char *
vary_value(int slotted)
{
	return slotted ? "Accept-Encoding, Cookie" : "Accept-Encoding";
}

/* Every answer not served from the page cache. encode.c decides coding,
 * validators and 304 (send_entry applies the same rule to cached
 * pages). */
static enum MHD_Result
send_resp(struct app *app, struct rstate *st, struct MHD_Connection *c,
    struct resp *rs)
{
	struct MHD_Response *r;
	struct enc_out eo;
	enum MHD_Result ret;
	const char *cc;
	size_t len, i;
	char *data;
	int status;

	/* Coding, validators and conditions, for every kind of answer. */
	enc_prepare(app, &st->rq, rs, &eo);
	status = eo.not_modified ? 304 : rs->status;
	if (eo.not_modified)
		buf_reset(&rs->body);
	data = buf_detach(&rs->body, &len);
	r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(data);
		return MHD_NO;
	}
	if (rs->content_type && !eo.not_modified)
		MHD_add_response_header(r, "Content-Type", rs->content_type);
	if (eo.coding && !eo.not_modified)
		MHD_add_response_header(r, "Content-Encoding", eo.coding);
	if (eo.vary)
		MHD_add_response_header(r, "Vary", vary_value(rs->nslots > 0));
	if (eo.etag[0])
		MHD_add_response_header(r, "ETag", eo.etag);
	if (eo.last_modified[0])
		MHD_add_response_header(r, "Last-Modified", eo.last_modified);
	if (!has_header(rs, "Cache-Control") &&
	    (cc = default_cache_control(rs->status)) != NULL)
		MHD_add_response_header(r, "Cache-Control", cc);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy",
	    "strict-origin-when-cross-origin");
	for (i = 0; i < rs->nheaders; i++)
		MHD_add_response_header(r, rs->hname[i], rs->hval[i]);
	st->status = status;
	st->bytes = len;
	if (rs->route)
		st->route = rs->route;
	ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

/* MHD is done with a cached page's bytes. */
static void
entry_free(void *cls)
{
	cache_release(NULL, cls);
}

/* The entry's own headers ("Name\tvalue\n" lines) into rs, but none
 * that rs already has (a reader's copy sets its own Cache-Control). */
static void
entry_headers(struct resp *rs, const struct cache_entry *e,
    struct arena *a)
{
	const char *p = e->headers;

	while (*p) {
		const char *tab = strchr(p, '\t'), *nl, *name;

		if (tab == NULL || (nl = strchr(tab, '\n')) == NULL)
			break;
		name = arena_strndup(a, p, (size_t)(tab - p));
		if (!has_header(rs, name))
			resp_header(rs, name, arena_strndup(a, tab + 1,
			    (size_t)(nl - tab - 1)));
		p = nl + 1;
	}
}

/*
 * Answer from a cached page. A reader with bits of their own (a held
 * comment, a remembered name) gets their copy spliced from the identity
 * bytes and sent like any uncached answer (send_resp: encode.c). Everyone
 * else gets the stored variant encode.c would choose, with the ETag and
 * Last-Modified encode.c gave it when it was stored, and encode.c's 304
 * rule (enc_conditions): the same answer a render would give.
 */
static enum MHD_Result
send_entry(struct app *app, struct rstate *st, struct MHD_Connection *c,
    const struct cache_entry *e, int fresh)
{
	struct MHD_Response *r;
	struct resp rs;
	enum MHD_Result ret;
	enum cache_enc enc;
	const struct cache_variant *v;
	char lm[STR_HTTP_DATE_BYTES];
	size_t i;
	int status = 200, handed = 0;

	memset(&rs, 0, sizeof(rs));
	buf_init(&rs.body, 0);
	if (e->nslots && page_personal(app, &st->rq,
	    e->v[CACHE_IDENTITY].data, e->v[CACHE_IDENTITY].len, e->slot,
	    e->nslots, e->owner, &rs)) {
		rs.status = 200;
		rs.content_type = arena_strdup(&st->a, e->content_type);
		rs.nslots = e->nslots;
		rs.route = arena_strdup(&st->a, e->label);
		entry_headers(&rs, e, &st->a);
		cache_release(app->cache, e);
		st->src = MS_PERSONAL;
		return send_resp(app, st, c, &rs);
	}
	enc = pc_choose(rq_header(&st->rq, "Accept-Encoding"), e);
	v = &e->v[enc];
	if (enc_conditions(&st->rq, v->etag, e->last_modified,
	    (int64_t)time(NULL), lm)) {
		status = 304;
		st->src = MS_NOT_MODIFIED;
		st->bytes = 0;
		r = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
	} else {
		st->src = fresh ? MS_RENDER : MS_CACHE;
		st->bytes = v->len;
		/* No copy: MHD sends the cached bytes from memory, head and
		 * body in one write, and lets go of the entry when done.
		 * (sendfile from a memory file was tried: a separate send of
		 * the head and a dup/close per answer made hits ~20% slower
		 * than this for pages of 20-60 KB.) */
		r = MHD_create_response_from_buffer_with_free_callback_cls(
		    v->len, (void *)(uintptr_t)v->data, entry_free,
		    (void *)(uintptr_t)e);
		handed = r != NULL;
	}
	if (r == NULL) {
		buf_free(&rs.body);
		cache_release(app->cache, e);
		return MHD_NO;
	}
	/* e stays valid until MHD_destroy_response below at least: the
	 * response holds it when handed, we hold it otherwise. Headers as
	 * send_resp sends them. */
	if (status == 200) {
		if (e->content_type[0])
			MHD_add_response_header(r, "Content-Type",
			    e->content_type);
		if (enc == CACHE_GZIP)
			MHD_add_response_header(r, "Content-Encoding", "gzip");
		else if (enc == CACHE_BR)
			MHD_add_response_header(r, "Content-Encoding", "br");
	}
	if (enc_compressible(e->content_type))
		MHD_add_response_header(r, "Vary", vary_value(e->nslots > 0));
	if (v->etag[0])
		MHD_add_response_header(r, "ETag", v->etag);
	if (lm[0])
		MHD_add_response_header(r, "Last-Modified", lm);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy",
	    "strict-origin-when-cross-origin");
	entry_headers(&rs, e, &st->a); /* after page_personal's cookie */
	for (i = 0; i < rs.nheaders; i++)
		MHD_add_response_header(r, rs.hname[i], rs.hval[i]);
	st->status = status;
	st->route = arena_strdup(&st->a, e->label); /* e may go first */
	ret = MHD_queue_response(c, (unsigned)status, r);
	if (!handed)
		cache_release(app->cache, e);
	MHD_destroy_response(r);
	buf_free(&rs.body);
	return ret;
}

/* Answer with an error page without routing (bad method, sizes). */
static enum MHD_Result
send_error(struct app *app, struct rstate *st, struct MHD_Connection *c,
    int status, const char *msg)
{
	struct resp rs;

	enum MHD_Result ret;

	memset(&rs, 0, sizeof(rs));
	buf_init(&rs.body, 0);
	conf_enter(app);
	h_error(app, &st->rq, &rs, status, msg);
	if (status == 405)
		resp_header(&rs, "Allow", "GET, HEAD, POST");
	ret = send_resp(app, st, c, &rs);
	conf_leave(app);
	return ret;
}

/*
 * A GET or HEAD without a query string may be answered from the page
 * cache, keyed by its path; one with a query string only if its route
 * names a canonical key for it (routes_query_key: search). On a miss the
 * handler renders, and a page it marks shared goes into the cache and is
 * answered from there. A page
 * with slots is spliced per reader (page_personal) on every path,
 * cached or not, so a reader sees the same thing with the cache off.
 * A request with a session cookie never touches the cache: what it is
 * shown may be a staff member's own page (Edit links, their name, their
 * CSRF token). All of it runs under conf_lock, response preparation
 * included (the validators read the conf the page was made with).
 */
static enum MHD_Result
dispatch(struct app *app, struct rstate *st, struct MHD_Connection *c)
{
	const struct cache_entry *e = NULL;
	const char *key = NULL;
	enum MHD_Result ret;
	struct resp rs;
	uint64_t gen = 0;
	int keyed, claimed = 0;

	conf_enter(app);
	keyed = app->cache &&
	    (st->rq.method == M_GET || st->rq.method == M_HEAD) &&
	    rq_cookie(&st->rq, SESSION_COOKIE) == NULL;
	if (keyed)
		key = st->nargs == 0 ? st->rq.path :
		    routes_query_key(app, &st->rq);
	keyed = key != NULL;
	if (keyed) {
		pc_sync(app);
		/* Readers of a page just dropped wait for one render. */
		e = cache_get_claim(app->cache, key, (int64_t)time(NULL),
		    LIM_RENDER_WAIT_MS, &claimed);
		if (e) {
			ret = send_entry(app, st, c, e, 0);
			conf_leave(app);
			return ret;
		}
		gen = cache_generation(app->cache);
	}
	memset(&rs, 0, sizeof(rs));
	buf_init(&rs.body, 0);
	rs.status = 200;
	routes_dispatch(app, &st->rq, &rs);
	if (keyed && rs.shared && rs.status == 200)
		e = pc_put(app, &st->rq, key, &rs, gen);
	if (claimed)
		cache_done(app->cache, key, rs.shared && rs.status == 200);
	if (e != NULL) {
		buf_free(&rs.body);
		ret = send_entry(app, st, c, e, 1);
		conf_leave(app);
		return ret;
	}
	if (rs.shared && rs.status == 200) {
		if (rs.nslots) {
			struct resp pr;
			size_t i;

			memset(&pr, 0, sizeof(pr));
			buf_init(&pr.body, 0);
			if (page_personal(app, &st->rq, rs.body.data,
			    rs.body.len, rs.slot, rs.nslots, rs.owner, &pr)) {
				buf_free(&rs.body);
				rs.body = pr.body;
				st->src = MS_PERSONAL;
			} else
				buf_free(&pr.body);
			/* The reader's headers (the form timestamp cookie,
			 * a personal copy's Cache-Control), then the
			 * page's own that they do not replace. */
			for (i = 0; i < rs.nheaders; i++)
				if (!has_header(&pr, rs.hname[i]))
					resp_header(&pr, rs.hname[i],
					    rs.hval[i]);
			rs.nheaders = 0;
			for (i = 0; i < pr.nheaders; i++)
				resp_header(&rs, pr.hname[i], pr.hval[i]);
		}
	}
	ret = send_resp(app, st, c, &rs);
	conf_leave(app);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct app *app = cls;
	struct rstate *st = *con_cls;

	if (st == NULL) {
		size_t qlen[2] = { 0, 0 };
		const char *cl;

		if ((st = calloc(1, sizeof(*st))) == NULL)
			return MHD_NO;
		*con_cls = st;
		atomic_fetch_add(&inflight, 1);
		clock_gettime(CLOCK_MONOTONIC, &st->t0);
		arena_init(&st->a);
		buf_init(&st->body, LIM_BODY_BYTES);
		st->status = 0;
		st->method_str = arena_strndup(&st->a, method, 16);
		st->rq.a = &st->a;
		st->rq.conn = c;
		st->rq.path = arena_strndup(&st->a, url, LIM_URI_BYTES + 1);
		st->rq.ip = client_ip(&st->a, c);
		st->rq.header = rq_header;
		st->rq.cookie = rq_cookie;
		st->rq.query = rq_query;
		st->rq.form = rq_form;
		st->rq.form_all = rq_form_all;
		st->rq.file = rq_file;
		if (!strcmp(method, "GET"))
			st->rq.method = M_GET;
		else if (!strcmp(method, "HEAD"))
			st->rq.method = M_HEAD;
		else if (!strcmp(method, "POST"))
			st->rq.method = M_POST;
		else
			st->rq.method = M_OTHER;

		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_len,
		    qlen);
		st->nargs = qlen[1];
		if (strlen(url) + qlen[0] > LIM_URI_BYTES) {
			st->early_status = 414;
			st->early_msg = "That address is too long.";
		} else if (st->rq.method == M_OTHER) {
			st->early_status = 405;
			st->early_msg = "This method is not supported here.";
		} else if (st->rq.method == M_POST) {
			long long n, max = LIM_BODY_BYTES;

			/* A logged-in user's admin forms (the editor, uploads)
			 * may be larger; the session is checked before a byte
			 * of the body is read. */
			if (strncmp(url, "/admin/", 7) == 0 &&
			    admin_session_ok(app, &st->rq)) {
				st->admin = 1;
				max = LIM_ADMIN_BODY_BYTES;
				buf_free(&st->body);
				buf_init(&st->body, LIM_ADMIN_BODY_BYTES);
			}
			cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
			    "Content-Length");
			/* Refuse before reading a byte of an oversized body;
			 * MHD closes the connection after this answer. */
			if (cl && (str_toint(cl, 0, max, &n) != P_OK))
				return send_error(app, st, c, 413,
				    "What you sent is too large.");
		}
		/* Answer on a later call, once MHD has read the whole
		 * request: a response queued on the first call makes MHD
		 * close the connection instead of keeping it alive. */
		return MHD_YES;
	}
	if (*upload_size != 0) {
		if (!st->too_big && !st->early_status &&
		    buf_add(&st->body, upload, *upload_size) != P_OK)
			st->too_big = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (st->status != 0)
		return MHD_YES; /* already answered */
	if (st->ready) {
		enum MHD_Result ret;

		st->ready = 0;
		conf_enter(app);
		ret = send_resp(app, st, c, &st->done);
		conf_leave(app);
		return ret;
	}
	if (st->early_status) {
		if (st->early_status == 405 && st->rq.method == M_OTHER) {
			/* fall through to routing: it knows each page's Allow */
		} else
			return send_error(app, st, c, st->early_status,
			    st->early_msg);
	}
	if (st->too_big)
		return send_error(app, st, c, 413,
		    "What you sent is too large.");
	st->rq.body = st->body.data ? st->body.data : "";
	st->rq.body_len = st->body.len;
	if (st->rq.method == M_POST) {
		const char *ct = MHD_lookup_connection_value(c,
		    MHD_HEADER_KIND, "Content-Type");
		enum perr e;

		if (ct && strncmp(st->rq.path, "/admin/", 7) == 0 &&
		    strncasecmp(ct, "multipart/form-data", 19) == 0)
			e = parse_multipart(st, ct);
		else if (ct == NULL || strncasecmp(ct,
		    "application/x-www-form-urlencoded", 33) != 0)
			return send_error(app, st, c, 400,
			    "Send the form as application/x-www-form-urlencoded.");
		else
			e = form_parse_max(&st->a, st->rq.body,
			    st->rq.body_len, strncmp(st->rq.path, "/admin/", 7)
			    == 0 ? LIM_ADMIN_FORM_FIELDS : LIM_FORM_FIELDS,
			    &st->form, &st->nform);
		if (e == P_TOOBIG)
			return send_error(app, st, c, 413,
			    "The form has too many fields.");
		if (e != P_OK)
			return send_error(app, st, c, 400,
			    "The form could not be read.");
	}
	if (st->rq.method == M_POST && !strcmp(st->rq.path, "/comments") &&
	    offload(app, st, c))
		return MHD_YES;
	return dispatch(app, st, c);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct rstate *st = *con_cls;
	struct timespec t1;
	double ms;

	if (st == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - st->t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - st->t0.tv_nsec) / 1e6;
	metrics_record(st->route, st->status, ms / 1e3, st->src);
	log_access(st->rq.ip, str_log_safe(&st->a, st->method_str),
	    str_log_safe(&st->a, st->rq.path), st->status, st->bytes,
	    (long long)(t1.tv_sec - st->t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - st->t0.tv_nsec) / 1000,
	    toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
	buf_free(&st->body);
	arena_free(&st->a);
	free(st);
	*con_cls = NULL;
	atomic_fetch_sub(&inflight, 1);
}

static enum perr
parse_listen(const char *listen, struct sockaddr_in *sa)
{
	const char *colon = strrchr(listen, ':');
	char host[64];
	long long port;
	size_t hl;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (colon == NULL || (hl = (size_t)(colon - listen)) >= sizeof(host))
		return P_BADINPUT;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	if (str_toint(colon + 1, 1, 65535, &port) != P_OK)
		return P_BADINPUT;
	sa->sin_port = htons((uint16_t)port);
	if (hl == 0 || !strcmp(host, "*"))
		sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (!strcmp(host, "localhost"))
		sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return P_BADINPUT;
	return P_OK;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n <= 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_warn("http: %s", line);
}

enum perr
http_serve(struct app *app, const char *listen)
{
	struct MHD_Daemon *d;
	struct sockaddr_in sa;
	sigset_t set;
	int sig, threads, waited;
	long ncpu;

	if (parse_listen(listen, &sa) != P_OK) {
		log_warn("bad listen address '%s' (want HOST:PORT)", listen);
		return P_BADINPUT;
	}
	/* Block the stop signals in every thread; the main thread waits
	 * for them with sigwait(). */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	/* Handlers that wait for the disk run on writer threads (offload),
	 * so one worker per core keeps the cores busy. */
	threads = app->conf.threads > 0 ? app->conf.threads :
	    HTTP_THREADS_PER_CORE * (ncpu > 0 ? (int)ncpu : 1);
	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC |
	    MHD_ALLOW_SUSPEND_RESUME |
	    MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, app,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)LIM_HEADER_BYTES,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)LIM_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)LIM_CONN_TIMEOUT_S,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
	    MHD_OPTION_END);
	if (d == NULL) {
		log_warn("cannot listen on %s (address in use?)", listen);
		return P_IO;
	}
	log_info("serving %s on http://%s/ with %d threads", app->site_dir,
	    listen, threads);
	for (;;) {
		if (sigwait(&set, &sig) == 0)
			break;
	}
	log_info("signal %d: finishing in-flight requests", sig);
	{
		MHD_socket fd = MHD_quiesce_daemon(d);
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
	}
	/* Bounded wait: a request in a handler finishes and is sent; idle
	 * keep-alive connections hold no request and don't count. A writer
	 * thread counts until its handler has returned, so none is still
	 * in the store when app_close() frees it. */
	for (waited = 0; (atomic_load(&inflight) > 0 ||
	    atomic_load(&writers) > 0) && waited < 100; waited++)
		usleep(50 * 1000);
	MHD_stop_daemon(d);
	log_info("stopped");
	return P_OK;
}
