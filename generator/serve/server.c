/* server.c - HTTP through libmicrohttpd, one thread per connection (an
 * event stream waits on a condition variable in its own thread). Paths
 * reach serve_resolve as the client sent them: the unescape callback
 * leaves them alone, so that an encoded "/" or NUL can be refused. */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"
#include "util/buf.h"
#include "util/fs.h"

/* A stream with nothing to say sends a comment this often, which also
 * finds the clients that went away. */
#define PING_SECONDS 15

/* A connection the watchdog keeps an eye on. fd is a duplicate of the
 * connection's socket, owned here: the socket stays the same object until
 * the CLOSED notification closes fd, whenever libmicrohttpd closes its own
 * descriptor, so a shutdown() through fd can never reach another socket. */
typedef struct watched {
	struct watched *prev, *next;
	int fd;
	struct timespec deadline; /* CLOCK_MONOTONIC */
	int waiting; /* for the headers of a request, until deadline */
} watched;

struct server {
	struct MHD_Daemon *d;
	live_state *l;
	/* the watchdog: every connection is on the list from its STARTED to
	 * its CLOSED notification; all under mu */
	pthread_mutex_t mu;
	pthread_cond_t cv; /* on CLOCK_MONOTONIC: a new deadline, or stop */
	pthread_t dog;
	int dog_stop;
	watched *conns;
};

/* ---- the shared state ------------------------------------------------- */

void live_init(live_state *l, int (*fetch)(void *ctx, const char *rel,
					   buf_t *out),
	       void *fetch_ctx, const char *site)
{
	memset(l, 0, sizeof *l);
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	l->errors = xstrdup("[]");
	l->fetch = fetch;
	l->fetch_ctx = fetch_ctx;
	l->site = site;
}

void live_free(live_state *l)
{
	pthread_cond_destroy(&l->cv);
	pthread_mutex_destroy(&l->mu);
	free(l->errors);
}

void live_publish(live_state *l, int ok, char *errors)
{
	pthread_mutex_lock(&l->mu);
	if (ok)
		l->good++;
	/* a failed build always says so, even with the same errors again */
	if (!ok || strcmp(errors, l->errors))
		l->errors_gen++;
	free(l->errors);
	l->errors = errors;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

/* ---- responses -------------------------------------------------------- */

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status,
				buf_t *body, const char *type)
{
	size_t n = body->len;
	char *data = buf_detach(body);
	struct MHD_Response *r = MHD_create_response_from_buffer(
		n, data ? data : xstrdup(""), MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	enum MHD_Result ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status,
				 const char *text)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, text);
	return send_buf(c, status, &b, "text/plain; charset=utf-8");
}

static unsigned good_builds(live_state *l)
{
	pthread_mutex_lock(&l->mu);
	unsigned good = l->good;
	pthread_mutex_unlock(&l->mu);
	return good;
}

/* The file rel of the last good build, an HTML page with the script
 * added; -1 when the site has no such file. A page that failed to render
 * is answered 500 with the messages. */
static int send_file(struct MHD_Connection *c, live_state *l, unsigned status,
		     const char *rel)
{
	buf_t b = BUF_INIT;
	int got = l->fetch(l->fetch_ctx, rel, &b);
	if (got == -1) {
		buf_free(&b);
		return -1;
	}
	const char *type = serve_content_type(rel);
	if (got < 0) {
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		type = "text/plain; charset=utf-8";
	} else if (!strncmp(type, "text/html", 9)) {
		buf_t page = BUF_INIT;
		serve_inject(&page, b.ptr ? b.ptr : "", b.len, good_builds(l));
		buf_free(&b);
		b = page;
	}
	return send_buf(c, status, &b, type) == MHD_YES ? 0 : -2;
}

/* Whether the last good build has the file rel. */
static int has_file(live_state *l, const char *rel)
{
	buf_t b = BUF_INIT;
	int got = l->fetch(l->fetch_ctx, rel, &b);
	buf_free(&b);
	return got != -1;
}

static enum MHD_Result not_found(struct MHD_Connection *c, live_state *l)
{
	int rc = send_file(c, l, MHD_HTTP_NOT_FOUND, "404.html");
	if (rc == -1)
		return send_text(c, MHD_HTTP_NOT_FOUND, "Not found\n");
	return rc == 0 ? MHD_YES : MHD_NO;
}

static enum MHD_Result redirect(struct MHD_Connection *c, const char *url)
{
	char *to = xasprintf("%s/", url);
	struct MHD_Response *r = MHD_create_response_from_buffer(
		0, (void *)"", MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, to);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_MOVED_PERMANENTLY, r);
	MHD_destroy_response(r);
	free(to);
	return ok;
}

/* While no build has succeeded, every page is the list of errors. */
static enum MHD_Result failed_page(struct MHD_Connection *c, live_state *l)
{
	pthread_mutex_lock(&l->mu);
	char *page = serve_failed_page(l->site, l->errors);
	pthread_mutex_unlock(&l->mu);
	buf_t b = BUF_INIT;
	buf_puts(&b, page);
	free(page);
	return send_buf(c, MHD_HTTP_SERVICE_UNAVAILABLE, &b,
			"text/html; charset=utf-8");
}

/* A hidden entry (".git/config", ".partnermap-output"): answered as a
 * file the site does not have, as a static server of the built site
 * would, since a build publishes none; why says so in the terminal. */
static enum MHD_Result hidden(struct MHD_Connection *c, live_state *l,
			      const char *url, const char *why)
{
	/* url as sent but for its bytes outside printable ASCII, as %XX,
	 * so that it cannot drive the terminal */
	buf_t line = BUF_INIT;
	buf_puts(&line, "partnermap: not found: ");
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p > ' ' && *p < 0x7f)
			buf_putc(&line, *p);
		else
			buf_printf(&line, "%%%02X", *p);
	buf_printf(&line, ": %s", why);
	fputs(buf_cstr(&line), stderr);
	buf_free(&line);
	if (good_builds(l))
		return not_found(c, l);
	buf_printf(&line, "Not found: %s", why);
	return send_buf(c, MHD_HTTP_NOT_FOUND, &line, "text/plain; charset=utf-8");
}

static enum MHD_Result site_file(struct MHD_Connection *c, live_state *l,
				 const char *url)
{
	char *rel;
	int folder;
	const char *why;
	serve_path_status ps = serve_resolve(url, &rel, &folder, &why);
	if (ps == SERVE_PATH_HIDDEN)
		return hidden(c, l, url, why);
	if (ps != SERVE_PATH_OK)
		return send_text(c, MHD_HTTP_BAD_REQUEST, why);
	if (!good_builds(l)) {
		free(rel);
		return failed_page(c, l);
	}
	/* a folder serves its index.html; a folder named without its "/"
	 * is redirected to it, as a static server does */
	char *index = *rel ? fs_join(rel, "index.html") : xstrdup("index.html");
	enum MHD_Result ok;
	int rc = -1;
	if (folder || !*rel)
		rc = send_file(c, l, MHD_HTTP_OK, index);
	else if ((rc = send_file(c, l, MHD_HTTP_OK, rel)) == -1 &&
		 has_file(l, index)) {
		free(index);
		free(rel);
		return redirect(c, url);
	}
	ok = rc == -1 ? not_found(c, l) : rc == 0 ? MHD_YES : MHD_NO;
	free(index);
	free(rel);
	return ok;
}

/* ---- the event stream --------------------------------------------------- */

typedef struct stream {
	live_state *l;
	unsigned good, errors_gen; /* what this client was told */
	int told_errors;           /* it had the errors at least once */
	buf_t out;
	size_t sent;
} stream;

/* What has changed since the client was last told; called under l->mu. */
static void catch_up(stream *s)
{
	live_state *l = s->l;
	if (!s->told_errors || s->errors_gen != l->errors_gen)
		serve_event(&s->out, "errors", l->errors);
	s->told_errors = 1;
	s->errors_gen = l->errors_gen;
	if (l->good && s->good != l->good)
		serve_event(&s->out, "reload", "{}");
	s->good = l->good;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *dst, size_t max)
{
	stream *s = cls;
	live_state *l = s->l;
	if (s->sent == s->out.len) {
		buf_reset(&s->out);
		s->sent = 0;
		pthread_mutex_lock(&l->mu);
		while (!l->stopping && !s->out.len) {
			catch_up(s);
			if (s->out.len)
				break;
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += PING_SECONDS;
			if (pthread_cond_timedwait(&l->cv, &l->mu, &until) == ETIMEDOUT)
				buf_puts(&s->out, ": ping\n\n");
		}
		int stopping = l->stopping;
		pthread_mutex_unlock(&l->mu);
		if (stopping)
			return MHD_CONTENT_READER_END_OF_STREAM;
	}
	size_t n = s->out.len - s->sent;
	if (n > max)
		n = max;
	memcpy(dst, s->out.ptr + s->sent, n);
	s->sent += n;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	stream *s = cls;
	buf_free(&s->out);
	free(s);
}

static enum MHD_Result events(struct MHD_Connection *c, live_state *l)
{
	stream *s = xcalloc(1, sizeof *s);
	s->l = l;
	/* the build the page came from: a newer one reloads it at once */
	const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
							 "since");
	s->good = since ? (unsigned)strtoul(since, NULL, 10) : good_builds(l);
	/* reconnect soon after the server comes back */
	buf_puts(&s->out, "retry: 1000\n\n");
	struct MHD_Response *r = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, 4096, stream_read, s, stream_free);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/event-stream; charset=utf-8");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	/* quiet between pings and builds, which is not idle */
	MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
	enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result own_file(struct MHD_Connection *c, live_state *l,
				const char *url)
{
	if (!strcmp(url, SERVE_EVENTS))
		return events(c, l);
	if (!strcmp(url, SERVE_SCRIPT)) {
		buf_t b = BUF_INIT;
		buf_puts(&b, serve_live_js);
		return send_buf(c, MHD_HTTP_OK, &b, serve_content_type(url));
	}
	/* any other path is read by the same rules as the site's (a ".."
	 * segment is refused), and names no file of it */
	return site_file(c, l, url);
}

/* ---- the deadline for a request's headers ------------------------------ */

/* From its accept, or from the end of its last answer, a connection has
 * SERVER_HEADER_SECONDS to send a whole request line and headers: the
 * idle timeout alone lets a client that sends a line every few seconds
 * hold its slot for ever. The watchdog thread shuts down the socket of a
 * connection past its deadline, and libmicrohttpd then closes it. */

/* w waits for a request's headers from now; under s->mu. */
static void start_deadline(server *s, watched *w)
{
	clock_gettime(CLOCK_MONOTONIC, &w->deadline);
	w->deadline.tv_sec += SERVER_HEADER_SECONDS;
	w->waiting = 1;
	pthread_cond_signal(&s->cv);
}

/* What on_connection keeps for c; NULL when it is not watched. */
static watched *watched_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *i =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return i ? i->socket_context : NULL;
}

/* Whether a is before b. */
static int earlier(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec != b->tv_sec ? a->tv_sec < b->tv_sec
				      : a->tv_nsec < b->tv_nsec;
}

/* Until told to stop: shuts down each connection past its deadline, and
 * sleeps until the next deadline or a change. */
static void *watchdog(void *cls)
{
	server *s = cls;
	pthread_mutex_lock(&s->mu);
	while (!s->dog_stop) {
		struct timespec now, next = { 0, 0 };
		int any = 0; /* next is the earliest deadline to come */
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (watched *w = s->conns; w; w = w->next) {
			if (!w->waiting)
				continue;
			if (!earlier(&now, &w->deadline)) {
				/* recv() then sees the end: the connection's
				 * thread closes it */
				shutdown(w->fd, SHUT_RDWR);
				w->waiting = 0;
			} else if (!any || earlier(&w->deadline, &next)) {
				next = w->deadline;
				any = 1;
			}
		}
		if (any)
			pthread_cond_timedwait(&s->cv, &s->mu, &next);
		else
			pthread_cond_wait(&s->cv, &s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void watched_close(watched *w)
{
	close(w->fd);
	free(w);
}

/* STARTED: watch the connection from now; CLOSED: forget it. A socket
 * that cannot be duplicated (no descriptor left) is left unwatched. */
static void on_connection(void *cls, struct MHD_Connection *c, void **ctx,
			  enum MHD_ConnectionNotificationCode code)
{
	server *s = cls;
	watched *w = *ctx;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *i = MHD_get_connection_info(
			c, MHD_CONNECTION_INFO_CONNECTION_FD);
		int fd = i ? fcntl(i->connect_fd, F_DUPFD_CLOEXEC, 0) : -1;
		if (fd < 0)
			return;
		w = xcalloc(1, sizeof *w);
		w->fd = fd;
		pthread_mutex_lock(&s->mu);
		w->next = s->conns;
		if (s->conns)
			s->conns->prev = w;
		s->conns = w;
		start_deadline(s, w);
		pthread_mutex_unlock(&s->mu);
		*ctx = w;
		return;
	}
	if (!w)
		return;
	pthread_mutex_lock(&s->mu);
	if (w->prev)
		w->prev->next = w->next;
	else
		s->conns = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&s->mu);
	*ctx = NULL;
	watched_close(w);
}

/* The headers came: no deadline while the request is answered (an event
 * stream is answered until it ends). */
static void answering(server *s, struct MHD_Connection *c)
{
	watched *w = watched_of(c);
	if (!w)
		return;
	pthread_mutex_lock(&s->mu);
	w->waiting = 0;
	pthread_mutex_unlock(&s->mu);
}

/* An answer ended: the next request on the connection has its own
 * deadline. */
static void request_done(void *cls, struct MHD_Connection *c, void **req,
			 enum MHD_RequestTerminationCode toe)
{
	server *s = cls;
	watched *w = watched_of(c);
	(void)req;
	(void)toe;
	if (!w)
		return;
	pthread_mutex_lock(&s->mu);
	start_deadline(s, w);
	pthread_mutex_unlock(&s->mu);
}

/* Looks at the name of each header field of a request (serve.h,
 * serve_fields). */
static enum MHD_Result add_field(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *value)
{
	(void)kind;
	(void)value;
	serve_fields_add(cls, key);
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req)
{
	server *s = cls;
	live_state *l = s->l;
	answering(s, c);
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				 "Method not allowed: use GET or HEAD\n");
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_HOST);
	serve_fields fields = {0};
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_field, &fields);
	const char *path, *why;
	serve_target_status st = serve_target(version, url, host, &fields,
					      &path, &why);
	if (st != SERVE_TARGET_OK)
		return send_text(c, st, why);
	if (!strncmp(path, SERVE_PREFIX, strlen(SERVE_PREFIX)))
		return own_file(c, l, path);
	return site_file(c, l, path);
}

/* ---- the server ------------------------------------------------------- */

char *server_banner(const char *site_dir, const char *url)
{
	size_t n = strlen(site_dir);
	while (n > 1 && site_dir[n - 1] == '/')
		n--;
	if ((n == 1 && site_dir[0] == '.') || !n)
		return xasprintf("Serving the site in the current folder at %s "
				 "(Ctrl-C to stop)", url);
	char *cut = xstrndup(site_dir, n), *shown = diag_visible(cut);
	char *line = xasprintf("Serving the site in %s at %s (Ctrl-C to stop)",
			       shown, url);
	FREE_ALL(cut, shown);
	return line;
}

/* Leave the path as sent: serve_resolve decodes it, and refuses what
 * decoding would hide. */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
	return strlen(s);
}

/* The watchdog's lock, condition (on CLOCK_MONOTONIC) and thread; 0, or
 * an error number with nothing left to undo. */
static int watchdog_start(server *s)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	int err = pthread_create(&s->dog, NULL, watchdog, s);
	if (err) {
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mu);
	}
	return err;
}

static void watchdog_stop(server *s)
{
	pthread_mutex_lock(&s->mu);
	s->dog_stop = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->dog, NULL);
}

/* The watchdog stopped, and what it still watches (the connections
 * libmicrohttpd never reported closed, if any) freed. */
static void server_free(server *s)
{
	watchdog_stop(s);
	while (s->conns) {
		watched *w = s->conns;
		s->conns = w->next;
		watched_close(w);
	}
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

server *server_start(const struct sockaddr *addr, live_state *l)
{
	server *s = xcalloc(1, sizeof *s);
	s->l = l;
	int err = watchdog_start(s);
	if (err) {
		free(s);
		errno = err;
		return NULL;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_THREAD_PER_CONNECTION;
	if (addr->sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
				MHD_OPTION_SOCK_ADDR, addr,
				MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL,
				MHD_OPTION_CONNECTION_LIMIT,
				SERVER_MAX_CONNECTIONS,
				MHD_OPTION_CONNECTION_TIMEOUT,
				SERVER_IDLE_SECONDS,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
				MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
				MHD_OPTION_END);
	if (!s->d) {
		err = errno;
		server_free(s);
		errno = err;
		return NULL;
	}
	return s;
}

unsigned server_port(const server *s)
{
	const union MHD_DaemonInfo *i =
		MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	return i ? i->port : 0;
}

void server_stop(server *s)
{
	pthread_mutex_lock(&s->l->mu);
	s->l->stopping = 1;
	pthread_cond_broadcast(&s->l->cv);
	pthread_mutex_unlock(&s->l->mu);
	MHD_stop_daemon(s->d);
	server_free(s);
}
