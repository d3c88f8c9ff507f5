/*
 * The demo's static HTTP server (libmicrohttpd).  Every site of the
 * snapshot gets its own daemon on 127.0.0.1 with a kernel-chosen port, so
 * the crawler sees separate hosts with their own robots.txt and
 * politeness.  Files are loaded once, after all ports are known, with
 * {{BASE:<site>}} placeholders expanded; requests are matched on the raw
 * request URI (path and query, as sent) against routes.tsv.  A route
 * written "POST /path?a=1&b=2" answers a form POST of "a=1&b=2" to
 * /path, as MSIT's attachment downloads do.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "demo_server.h"

#define MAX_SITES 16
#define MAX_ROUTES 256
#define MAX_FILE ((size_t)8 * 1024 * 1024)

typedef struct route {
    char *path;         /* "/list.do?x=1", as requested; for a POST the
                           path, "?" and the form body */
    int post;           /* answers POST only (else GET and HEAD) */
    char *content_type;
    char *body;         /* expanded file contents */
    size_t body_n;
} route;

typedef struct site {
    char name[256];
    char base[64];            /* "http://127.0.0.1:PORT" */
    char dir[1024];
    struct MHD_Daemon *daemon;
    route routes[MAX_ROUTES];
    size_t n_routes;
    demo_server *server;
} site;

struct demo_server {
    site sites[MAX_SITES];
    size_t n_sites;
    atomic_long requests;
};

/* One request: its raw URI and, for a POST, the form body so far. */
typedef struct demo_req {
    char *uri;
    kw_buf form;
    int seen; /* the access handler ran once */
} demo_req;

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *c)
{
    demo_req *q = kw_calloc(1, sizeof(*q));

    (void)cls;
    (void)c;
    if (!q)
        return NULL;
    q->uri = kw_strdup(uri); /* freed in request_done */
    kw_buf_init(&q->form, 4096);
    return q;
}

static void request_done(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    demo_req *q = *con_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (q) {
        kw_free(q->uri);
        kw_buf_deinit(&q->form);
        kw_free(q);
    }
    *con_cls = NULL;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *con,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_n, void **con_cls)
{
    site *st = cls;
    demo_req *q = *con_cls;
    const char *uri = q && q->uri ? q->uri : url;
    int is_post = strcmp(method, "POST") == 0;
    struct MHD_Response *resp;
    enum MHD_Result ret;
    size_t i, ul;

    (void)version;
    if (q && !q->seen) {
        q->seen = 1; /* headers only; a POST's body follows */
        if (is_post)
            return MHD_YES;
    }
    if (*upload_n) {
        if (q)
            kw_buf_add(&q->form, upload, *upload_n); /* capped: sticky */
        *upload_n = 0;
        return MHD_YES;
    }
    atomic_fetch_add(&st->server->requests, 1);
    if (!is_post && strcmp(method, "GET") != 0 &&
        strcmp(method, "HEAD") != 0) {
        static const char msg[] = "method not allowed\n";

        resp = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg,
                                               MHD_RESPMEM_PERSISTENT);
        ret = MHD_queue_response(con, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
        MHD_destroy_response(resp);
        return ret;
    }
    ul = strlen(uri);
    for (i = 0; i < st->n_routes; i++) {
        route *r = &st->routes[i];

        if (r->post != is_post)
            continue;
        if (is_post ? (!q || q->form.err || !q->form.p ||
                       strncmp(r->path, uri, ul) != 0 || r->path[ul] != '?' ||
                       strcmp(r->path + ul + 1, q->form.p) != 0)
                    : strcmp(r->path, uri) != 0)
            continue;
        resp = MHD_create_response_from_buffer(r->body_n, r->body,
                                               MHD_RESPMEM_PERSISTENT);
        if (!resp)
            return MHD_NO;
        MHD_add_response_header(resp, "Content-Type", r->content_type);
        MHD_add_response_header(resp, "Server", "kowatch-demo");
        ret = MHD_queue_response(con, MHD_HTTP_OK, resp);
        MHD_destroy_response(resp);
        return ret;
    }
    {
        static const char msg[] = "not found\n";

        resp = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg,
                                               MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(resp, "Content-Type", "text/plain");
        ret = MHD_queue_response(con, MHD_HTTP_NOT_FOUND, resp);
        MHD_destroy_response(resp);
        return ret;
    }
}

static kw_err start_daemon(site *st, char *err, size_t err_n)
{
    struct sockaddr_in sin;
    const union MHD_DaemonInfo *info;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin.sin_port = 0;
    st->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
        NULL, NULL, answer, st, MHD_OPTION_SOCK_ADDR, &sin,
        MHD_OPTION_URI_LOG_CALLBACK, uri_logger, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30, MHD_OPTION_END);
    if (!st->daemon) {
        snprintf(err, err_n, "cannot start the demo server for site '%s'",
                 st->name);
        return KW_EIO;
    }
    info = MHD_get_daemon_info(st->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (!info || !info->port) {
        snprintf(err, err_n, "cannot read the demo server's port");
        return KW_EIO;
    }
    snprintf(st->base, sizeof(st->base), "http://127.0.0.1:%u",
             (unsigned)info->port);
    return KW_OK;
}

kw_err demo_server_expand(const demo_server *s, const char *p, size_t n,
                          char *err, size_t err_n, char **out, size_t *out_n)
{
    static const char open[] = "{{BASE:";
    kw_buf b;
    size_t i = 0;

    *out = NULL;
    kw_buf_init(&b, MAX_FILE * 2);
    kw_buf_add(&b, "", 0);
    while (i < n) {
        const char *end;
        size_t k, name_n;
        int found = 0;

        if (n - i < sizeof(open) - 1 ||
            memcmp(p + i, open, sizeof(open) - 1) != 0) {
            kw_buf_addc(&b, p[i++]);
            continue;
        }
        end = memchr(p + i, '}', n - i);
        if (!end || (size_t)(end - p) + 1 >= n || end[1] != '}') {
            kw_buf_addc(&b, p[i++]);
            continue;
        }
        name_n = (size_t)(end - (p + i)) - (sizeof(open) - 1);
        for (k = 0; k < s->n_sites; k++) {
            if (strlen(s->sites[k].name) == name_n &&
                memcmp(s->sites[k].name, p + i + sizeof(open) - 1, name_n) ==
                    0) {
                kw_buf_adds(&b, s->sites[k].base);
                found = 1;
                break;
            }
        }
        if (!found) {
            snprintf(err, err_n, "unknown site '%.*s' in a {{BASE:...}} "
                                 "placeholder",
                     (int)name_n, p + i + sizeof(open) - 1);
            kw_buf_deinit(&b);
            return KW_ENOTFOUND;
        }
        i = (size_t)(end - p) + 2;
    }
    if (b.err) {
        kw_err rc = b.err;

        kw_buf_deinit(&b);
        return rc;
    }
    *out_n = b.n;
    *out = kw_buf_steal(&b);
    return *out ? KW_OK : KW_ENOMEM;
}

/* Placeholders are expanded only in text: a PDF or an image is served
 * byte for byte. */
static int is_text_type(const char *type)
{
    return strncmp(type, "text/", 5) == 0 || strstr(type, "xml") ||
           strstr(type, "json");
}

/* Loads routes.tsv of @st and the files it names. */
static kw_err load_routes(demo_server *s, site *st, char *err, size_t err_n)
{
    char path[1200], *data = NULL, *line, *next;
    size_t n = 0;
    int lineno = 0;
    kw_err rc;

    snprintf(path, sizeof(path), "%s/routes.tsv", st->dir);
    rc = kw_read_file(path, MAX_FILE, &data, &n);
    if (rc) {
        snprintf(err, err_n, "%s: %s", path, kw_strerror(rc));
        return rc;
    }
    for (line = data; line && *line; line = next) {
        char *tab1, *tab2, *end, file[1300], *body = NULL;
        size_t body_n = 0;
        route *r;

        lineno++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        end = line + strlen(line);
        if (end > line && end[-1] == '\r')
            *--end = '\0';
        if (!*line || *line == '#')
            continue;
        tab1 = strchr(line, '\t');
        tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab1 || !tab2 || st->n_routes >= MAX_ROUTES) {
            snprintf(err, err_n, "%s:%d: expected PATH<TAB>FILE<TAB>TYPE",
                     path, lineno);
            rc = KW_EPARSE;
            break;
        }
        *tab1 = '\0';
        *tab2 = '\0';
        snprintf(file, sizeof(file), "%s/%s", st->dir, tab1 + 1);
        rc = kw_read_file(file, MAX_FILE, &body, &body_n);
        if (rc) {
            snprintf(err, err_n, "%s:%d: %s: %s", path, lineno, file,
                     kw_strerror(rc));
            break;
        }
        r = &st->routes[st->n_routes];
        if (is_text_type(tab2 + 1)) {
            rc = demo_server_expand(s, body, body_n, err, err_n, &r->body,
                                    &r->body_n);
            kw_free(body);
            if (rc)
                break;
        } else {
            r->body = body; /* binary: served byte for byte */
            r->body_n = body_n;
        }
        r->post = strncmp(line, "POST ", 5) == 0;
        r->path = kw_strdup(r->post ? line + 5 : line);
        r->content_type = kw_strdup(tab2 + 1);
        st->n_routes++;
        if (!r->path || !r->content_type) {
            rc = KW_ENOMEM;
            break;
        }
    }
    kw_free(data);
    return rc;
}

kw_err demo_server_start(const char *sites_dir, char *err, size_t err_n,
                         demo_server **out)
{
    demo_server *s;
    DIR *d;
    struct dirent *e;
    size_t i;
    kw_err rc = KW_OK;

    *out = NULL;
    s = kw_calloc(1, sizeof(*s));
    if (!s)
        return KW_ENOMEM;
    d = opendir(sites_dir);
    if (!d) {
        snprintf(err, err_n, "cannot open %s", sites_dir);
        kw_free(s);
        return KW_ENOTFOUND;
    }
    while ((e = readdir(d)) != NULL) {
        site *st;
        struct stat sb;

        if (e->d_name[0] == '.' || s->n_sites >= MAX_SITES)
            continue;
        st = &s->sites[s->n_sites];
        snprintf(st->dir, sizeof(st->dir), "%s/%s", sites_dir, e->d_name);
        if (stat(st->dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
            continue;
        snprintf(st->name, sizeof(st->name), "%s", e->d_name);
        st->server = s;
        s->n_sites++;
    }
    closedir(d);
    /* Ports first, so that every file can name every site. */
    for (i = 0; i < s->n_sites && !rc; i++)
        rc = start_daemon(&s->sites[i], err, err_n);
    for (i = 0; i < s->n_sites && !rc; i++)
        rc = load_routes(s, &s->sites[i], err, err_n);
    if (!rc && s->n_sites == 0) {
        snprintf(err, err_n, "%s holds no site directories", sites_dir);
        rc = KW_ENOTFOUND;
    }
    if (rc) {
        demo_server_stop(s);
        return rc;
    }
    *out = s;
    return KW_OK;
}

void demo_server_stop(demo_server *s)
{
    size_t i, k;

    if (!s)
        return;
    for (i = 0; i < s->n_sites; i++) {
        site *st = &s->sites[i];

        if (st->daemon)
            MHD_stop_daemon(st->daemon);
        for (k = 0; k < st->n_routes; k++) {
            kw_free(st->routes[k].path);
            kw_free(st->routes[k].content_type);
            kw_free(st->routes[k].body);
        }
    }
    kw_free(s);
}

size_t demo_server_nsites(const demo_server *s)
{
    return s->n_sites;
}

const char *demo_server_site_name(const demo_server *s, size_t i)
{
    return s->sites[i].name;
}

const char *demo_server_site_base(const demo_server *s, size_t i)
{
    return s->sites[i].base;
}

size_t demo_server_site_routes(const demo_server *s, size_t i)
{
    return s->sites[i].n_routes;
}

long demo_server_requests(const demo_server *s)
{
    return atomic_load(&((demo_server *)s)->requests);
}
