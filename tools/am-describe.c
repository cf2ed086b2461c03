/* Licensed under the Apache License, Version 2.0.
 *
 * am-describe: the core's descriptions without a server, for tests and
 * for reading.  Linked against the core alone (src/).
 *
 *   am-describe routes DIALECT     every route the tables give a mount
 *                                  of DIALECT: "METHOD /path" a line
 *   am-describe openapi DIALECT    its openapi.json
 *   am-describe help DIALECT       its Help page
 *   am-describe dialects           the dialects' names, one a line
 */
#include <stdio.h>
#include <string.h>
#include <apr_general.h>

#include "codec.h"
#include "describe.h"
#include "route.h"

int main(int argc, char **argv)
{
    apr_pool_t *p;
    const am_dialect_t *d = NULL;
    apr_size_t len = 0;
    const char *s;
    int i;

    if (argc < 2) {
        fprintf(stderr, "usage: am-describe routes|openapi|help DIALECT"
                " | dialects\n");
        return 2;
    }
    apr_initialize();
    apr_pool_create(&p, NULL);
    am_codec_init();
    am_dialects_init(p);
    am_describe_init(p);
    if (!strcmp(argv[1], "dialects")) {
        const am_dialect_t *const *all = am_dialect_all();
        for (i = 0; all[i]; i++) {
            printf("%s\n", all[i]->name);
        }
        return 0;
    }
    if (argc < 3 || !(d = am_dialect_find(argv[2]))) {
        fprintf(stderr, "am-describe: unknown dialect (%s)\n",
                am_dialect_names(p));
        return 2;
    }
    if (!strcmp(argv[1], "routes")) {
        for (i = 0; i < am_route_count(d); i++) {
            const am_route_t *r = am_route_at(d, i);
            printf("%s %s\n", r->method, am_describe_path(p, r->pattern));
        }
        return 0;
    }
    if (!strcmp(argv[1], "openapi")) {
        s = am_describe_get(d, AM_DESCRIBE_OPENAPI, &len, &s);
    }
    else if (!strcmp(argv[1], "help")) {
        s = am_describe_get(d, AM_DESCRIBE_HELP, &len, &s);
    }
    else {
        fprintf(stderr, "am-describe: unknown command %s\n", argv[1]);
        return 2;
    }
    fwrite(s, 1, len, stdout);
    return 0;
}
