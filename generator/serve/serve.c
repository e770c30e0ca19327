/* serve.c - partnermap serve: the command line and the loop that waits
 * for changes and makes the model again (serve/model.h). */
#define _GNU_SOURCE /* ppoll */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "scaffold/scaffold.h"
#include "serve/model.h"
#include "serve/server.h"
#include "serve/watch.h"
#include "util/fs.h"

/* A burst of changes is over after QUIET_MS without one (a checkout of
 * many files is one build), or SETTLED_MS when it is so far one file
 * written and closed (watch_settled: a plain save, the common case, shows
 * sooner), and waits no longer than MAX_WAIT_MS. */
#define QUIET_MS 50
#define SETTLED_MS 10
#define MAX_WAIT_MS 1000

static const char usage_serve[] =
	"Usage: partnermap serve [-C SITE_DIR] [--port N] [--bind ADDR]\n"
	"\n"
	"Preview the site in SITE_DIR (default: the current folder) while you\n"
	"edit it. The site is made in memory (nothing is written on disk), each\n"
	"page when it is asked for, and served at http://ADDR:N/; every\n"
	"change to its files builds it again and reloads the pages open in a\n"
	"browser. While a change breaks the build, the last good site is\n"
	"served, with the errors shown over the page and printed here.\n"
	"Ctrl-C stops it.\n"
	"\n"
	"Options:\n"
	"  -C, --site DIR     the site folder (holds site.yml and content/)\n"
	"  -p, --port N       the port, 0 to 65535 (default: "
	PM_STR(SERVE_DEFAULT_PORT) "); 0 picks a free one\n"
	"  -b, --bind ADDR    the IP address to listen on (default: 127.0.0.1,\n"
	"                     this computer only; 0.0.0.0 or :: for every\n"
	"                     network, which shows your unpublished edits)\n"
	"  -h, --help         show this help\n";

typedef struct serve_args {
	const char *site_dir;
	long port;
	const char *bind;
} serve_args;

/* The value of -x VALUE, -xVALUE, --name VALUE or --name=VALUE when a
 * is that option; NULL otherwise. *bad: the value is missing. */
static const char *value_of(int argc, char **argv, int *i, const char *shortname,
			    const char *longname, int *bad)
{
	const char *a = argv[*i];
	size_t n = strlen(longname);
	if (!strncmp(a, longname, n) && a[n] == '=')
		return a + n + 1;
	if (!strncmp(a, shortname, 2) && a[2] != '\0')
		return a + 2;
	if (strcmp(a, longname) && strcmp(a, shortname))
		return NULL;
	if (*i + 1 >= argc || !argv[*i + 1][0]) {
		*bad = 1;
		return NULL;
	}
	return argv[++*i];
}

/* 0 when parsed; else the exit status of a bad command line, or -1 for
 * --help (printed). */
static int parse_args(int argc, char **argv, serve_args *a)
{
	*a = (serve_args){".", SERVE_DEFAULT_PORT, "127.0.0.1"};
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;
		int bad = 0;
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			fputs(usage_serve, stdout);
			return -1;
		} else if ((v = value_of(argc, argv, &i, "-C", "--site", &bad))) {
			a->site_dir = v;
		} else if ((v = value_of(argc, argv, &i, "-p", "--port", &bad))) {
			char *end = NULL;
			a->port = strtol(v, &end, 10);
			if (!*v || *end || a->port < 0 || a->port > 65535)
				return scaffold_usage_error("serve", "'%s' wants a port "
					"number from 0 to 65535, not '%s'", arg, v);
		} else if ((v = value_of(argc, argv, &i, "-b", "--bind", &bad))) {
			a->bind = v;
		} else if (bad) {
			return scaffold_usage_error("serve", "option '%s' needs a value", arg);
		} else if (arg[0] == '-') {
			return scaffold_usage_error("serve", "unknown option '%s'", arg);
		} else {
			return scaffold_usage_error("serve", "unexpected argument '%s'", arg);
		}
	}
	return scaffold_path_usable("serve", "-C", a->site_dir);
}

/* The socket address of ADDR and port; 0, or -1 when ADDR is not an IP
 * address. */
static int socket_address(const char *addr, long port,
			  struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((unsigned short)port);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((unsigned short)port);
		return 0;
	}
	return -1;
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---- building ------------------------------------------------------------- */

typedef struct serve_run {
	build_options o;
	live_model *model;
	live_state live;
	sigset_t handled;   /* the signals the caller handles: blocked but
			       while building and while waiting */
	const atomic_int *stop;
	int built;          /* a build has succeeded: there is a site served */
} serve_run;

/* Whether the last good build has the page of folder (has_page of
 * serve_errors_json). */
static int has_page(void *ctx, const char *folder)
{
	const serve_run *r = ctx;
	return live_model_has_page(r->model, folder);
}

/* live_state's fetch: the model's files. */
static int fetch(void *ctx, const char *rel, buf_t *out)
{
	return (int)live_model_get(ctx, rel, out);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* The line after each good build: the counts of `partnermap build`'s
 * line, in its words, then how many institutions were read from their
 * files and how many kept from the last build (kept of st's). */
static void say_built(const build_stats *st, size_t kept, long long ms)
{
	size_t read = st->institutions - kept;
	printf("partnermap: built %zu institution%s in %zu countr%s, %zu "
	       "network%s, %zu page%s (%zu institution record%s read",
	       st->institutions, plural(st->institutions), st->countries,
	       st->countries == 1 ? "y" : "ies", st->networks,
	       plural(st->networks), st->pages, plural(st->pages), read,
	       plural(read));
	if (kept)
		printf(", %zu unchanged", kept);
	printf(") in %lld ms\n", ms);
}

/* Make the model once more (serve/model.h: the pages are rendered when
 * asked for), tell the pages, print what happened. Every build goes
 * through here, the first one too. */
static void rebuild(serve_run *r)
{
	diags_t d = DIAGS_INIT;
	build_stats st = {0};
	long long t0 = now_ms();
	pthread_sigmask(SIG_UNBLOCK, &r->handled, NULL);
	int rc = live_model_update(r->model, &d, &st);
	pthread_sigmask(SIG_BLOCK, &r->handled, NULL);
	if (atomic_load(r->stop)) {
		diags_free(&d);
		return;
	}
	diags_print(&d, stderr);
	char *errors = rc == EXIT_BUILT ? xstrdup("[]")
			: serve_errors_json(&d, has_page, r);
	live_publish(&r->live, rc == EXIT_BUILT, errors);
	if (rc == EXIT_BUILT)
		say_built(&st, live_model_kept(r->model), now_ms() - t0);
	else if (r->built)
		fprintf(stderr, "partnermap: the build failed; fix the errors "
			"above and save (the last good site is still served)\n");
	else /* no site yet: every page is the list of errors */
		fprintf(stderr, "partnermap: the build failed; fix the errors "
			"above and save (until it builds, every page shows "
			"them)\n");
	r->built |= rc == EXIT_BUILT;
	fflush(stdout);
	diags_free(&d);
}

/* Wait for changes and build again, until a signal says stop. */
static void watch_loop(serve_run *r, watch *w)
{
	debounce b = {.quiet_ms = QUIET_MS, .settled_ms = SETTLED_MS,
		      .max_ms = MAX_WAIT_MS};
	sigset_t waiting;
	pthread_sigmask(SIG_BLOCK, NULL, &waiting);
	sigdelset(&waiting, SIGINT);
	sigdelset(&waiting, SIGTERM);
	sigdelset(&waiting, SIGHUP);
	while (!atomic_load(r->stop)) {
		int wait = debounce_wait(&b, now_ms());
		/* changes that came while this thread did not run (a busy
		 * machine) are part of the burst, unless it waited its
		 * longest: an editor's new file after its removal must be seen
		 * before the build */
		if (wait == 0 && now_ms() < b.first + b.max_ms &&
		    watch_read(w) > 0) {
			debounce_note(&b, now_ms(), watch_settled(w));
			continue;
		}
		if (wait == 0) {
			debounce_clear(&b);
			watch_burst_clear(w);
			rebuild(r);
			continue;
		}
		struct pollfd p = {.fd = watch_fd(w), .events = POLLIN};
		struct timespec t = {wait / 1000, (wait % 1000) * 1000000L};
		/* the signals are let through only while waiting, so that one
		 * cannot come between the test of stop and the wait */
		int n = ppoll(&p, 1, wait < 0 ? NULL : &t, &waiting);
		if (n > 0 && watch_read(w) > 0)
			debounce_note(&b, now_ms(), watch_settled(w));
	}
}

/* ---- the command ---------------------------------------------------------------- */

static void url_of(const struct sockaddr_storage *ss, unsigned port, buf_t *out)
{
	char host[INET6_ADDRSTRLEN];
	if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr,
			  host, sizeof host);
		buf_printf(out, "http://[%s]:%u/", host, port);
	} else {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr,
			  host, sizeof host);
		buf_printf(out, "http://%s:%u/", host, port);
	}
}

/* Serve until stopped: the watcher, the first build, the server. */
static int serve_site(serve_run *r, const serve_args *a,
		      const struct sockaddr_storage *ss)
{
	watch *w = watch_open(a->site_dir);
	if (!w) {
		fprintf(stderr, "partnermap: error: cannot watch the site folder "
			"%s for changes: %s%s\n", a->site_dir, strerror(errno),
			errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" :
			errno == ENOENT ? "; give the site folder with -C DIR" : "");
		return EXIT_FAILURE_IO;
	}
	/* every change is said from here on: the loads trust the rest */
	watch_on_change(w, live_model_changed, r->model);
	live_model_watched(r->model);
	rebuild(r);
	server *s = atomic_load(r->stop) ? NULL
		    : server_start((const struct sockaddr *)ss, &r->live);
	int rc = EXIT_BUILT;
	if (!s && !atomic_load(r->stop)) {
		fprintf(stderr, "partnermap: error: cannot listen on %s port %ld: "
			"%s; choose another port with --port N (--port 0 picks "
			"a free one)\n", a->bind, a->port, strerror(errno));
		rc = EXIT_FAILURE_IO;
	}
	if (s) {
		buf_t url = BUF_INIT;
		url_of(ss, server_port(s), &url);
		char *banner = server_banner(a->site_dir, buf_cstr(&url));
		printf("%s\n", banner);
		free(banner);
		fflush(stdout);
		buf_free(&url);
		watch_loop(r, w);
		server_stop(s);
	}
	watch_close(w);
	return rc;
}

int cmd_serve(int argc, char **argv, const build_options *base,
	      const atomic_int *stop)
{
	serve_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? EXIT_BUILT : rc;
	struct sockaddr_storage ss;
	if (socket_address(a.bind, a.port, &ss) < 0)
		return scaffold_usage_error("serve", "'--bind' wants an IP address "
			"such as 127.0.0.1, 0.0.0.0 or ::1, not '%s'", a.bind);
	serve_run r = {
		.o = *base,
		.stop = stop,
	};
	r.o.site_dir = a.site_dir;
	r.o.out_dir = NULL; /* nothing is written: pages are made in memory */
	r.o.check_only = 0;
	r.o.cancel = stop;
	r.model = live_model_new(&r.o);
	live_init(&r.live, fetch, r.model, a.site_dir);
	/* the server's threads inherit the mask: the signals come here */
	sigemptyset(&r.handled);
	sigaddset(&r.handled, SIGINT);
	sigaddset(&r.handled, SIGTERM);
	sigaddset(&r.handled, SIGHUP);
	sigset_t was;
	pthread_sigmask(SIG_BLOCK, &r.handled, &was);
	rc = serve_site(&r, &a, &ss);
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	if (!rc)
		fprintf(stderr, "partnermap: stopped\n");
	live_free(&r.live);
	live_model_free(r.model);
	return rc;
}
