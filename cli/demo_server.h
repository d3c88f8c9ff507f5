/*
 * demo_server.h -- the static HTTP server of `kowatch demo`: serves the
 * bundled snapshot (config/demo/sites/<site>/) on 127.0.0.1, one port per
 * site so that each site is its own host to the crawler.
 */
#ifndef KW_DEMO_SERVER_H
#define KW_DEMO_SERVER_H

#include <stddef.h>

#include "kw/common.h"

typedef struct demo_server demo_server;

/*
 * Starts one server per directory in @sites_dir.  Each directory holds
 * routes.tsv ("PATH?QUERY<TAB>FILE<TAB>CONTENT-TYPE" lines) and the files
 * it names; "{{BASE:<site>}}" in served files becomes that site's
 * "http://127.0.0.1:PORT".  On failure writes the reason into @err.
 */
kw_err demo_server_start(const char *sites_dir, char *err, size_t err_n,
                         demo_server **out);
void demo_server_stop(demo_server *s); /* NULL-safe */

/* Replaces every {{BASE:<site>}} in p[0..n) with the site's base URL.
 * *out is owned (kw_free).  KW_ENOTFOUND names an unknown site in @err. */
kw_err demo_server_expand(const demo_server *s, const char *p, size_t n,
                          char *err, size_t err_n, char **out,
                          size_t *out_n);

size_t demo_server_nsites(const demo_server *s);
const char *demo_server_site_name(const demo_server *s, size_t i);
const char *demo_server_site_base(const demo_server *s, size_t i);
size_t demo_server_site_routes(const demo_server *s, size_t i);
/* Requests answered so far, over all sites. */
long demo_server_requests(const demo_server *s);

#endif /* KW_DEMO_SERVER_H */
