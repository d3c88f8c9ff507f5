/* Placeholder until the test server lands. */
#include "testsrv.h"

int kw_testsrv_port(const kw_testsrv *s)
{
    (void)s;
    return 0;
}
