/* Placeholder until queries land. */
#include "kw/common.h"
int kw_queries_placeholder(void);
int kw_queries_placeholder(void)
{
    return 0;
}
