/* Placeholder until the store lands: replaced by the store module. */
#include "kw/store.h"

int kw_store_schema_version(void)
{
    return 0;
}
