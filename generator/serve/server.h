/* server.h - the HTTP side of partnermap serve, on libmicrohttpd: files of
 * the last good build, the script, and the event stream. */
#ifndef PM_SERVER_H
#define PM_SERVER_H

#include <pthread.h>
#include <sys/socket.h>

#include "util/buf.h"

/* What the builds tell the pages, shared by the watching thread (which
 * writes it after each build) and the server's threads (which read it):
 * every field is under mu, and cv is signalled at each change. */
typedef struct live_state {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned good;       /* good builds so far; 0: none yet */
	unsigned errors_gen; /* counts the builds that changed or had errors */
	char *errors;        /* the last build's errors: serve_errors_json */
	int stopping;        /* the server is going away: end every stream */
	/* The files of the last good build: fetch(fetch_ctx, rel, out) as
	 * serve/model.h's live_model_get. Called from the server's threads,
	 * without mu. */
	int (*fetch)(void *ctx, const char *rel, buf_t *out);
	void *fetch_ctx;
	const char *site;    /* the site folder as given, for the page shown
				while no build succeeded (borrowed) */
} live_state;

/* Set up l (errors "[]", nothing built yet) to answer from fetch; site
 * is borrowed. */
void live_init(live_state *l, int (*fetch)(void *ctx, const char *rel,
					   buf_t *out),
	       void *fetch_ctx, const char *site);
void live_free(live_state *l);
/* A build ended: ok if it succeeded; errors (taken over) is its
 * serve_errors_json. Wakes every event stream. */
void live_publish(live_state *l, int ok, char *errors);

typedef struct server server;

/* Listen on addr (an IPv4 or IPv6 socket address; port 0 picks a free
 * one) and answer from l. NULL with errno set when it cannot listen.
 * The caller blocks the signals it handles before, so that the server's
 * threads never take them. */
server *server_start(const struct sockaddr *addr, live_state *l);
/* The port it listens on. */
unsigned server_port(const server *s);
/* End every event stream, close every connection, stop. */
void server_stop(server *s);

/* The line serve prints once it listens, without its newline:
 * "Serving the site in SITE_DIR at URL (Ctrl-C to stop)", SITE_DIR as the
 * user gave it (trailing slashes dropped), "the current folder" for ".".
 * Caller frees. */
char *server_banner(const char *site_dir, const char *url);

/* A connection that sends nothing for this long, in seconds, is closed,
 * so idle connections cannot hold every slot (an event stream, which
 * pings every 15 s, is exempt); at most SERVER_MAX_CONNECTIONS are open
 * at once, the next ones are refused until one closes. */
#define SERVER_IDLE_SECONDS 5u
#define SERVER_MAX_CONNECTIONS 128u
/* A connection must send a whole request line and headers within this
 * many seconds of its accept, or of the end of the answer before on the
 * same connection, or it is closed: a client sending a header line now
 * and then is never idle, yet must not hold a slot for ever. A request
 * being answered, an event stream included, has no such deadline. */
#define SERVER_HEADER_SECONDS 10u

#endif
