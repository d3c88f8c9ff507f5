/* Process-wide set-up of the parsing libraries. */
#include <libxml/parser.h>

#include "kw/parsers.h"

void kw_parsers_global_init(void)
{
    /* xmlInitParser is idempotent and makes libxml2 safe for threads. */
    xmlInitParser();
}
