/* Error code descriptions (kw/common.h). */
#include "kw/common.h"

const char *kw_strerror(kw_err e)
{
    switch (e) {
    case KW_OK:
        return "success";
    case KW_ENOMEM:
        return "out of memory";
    case KW_EINVAL:
        return "invalid argument";
    case KW_ETOOBIG:
        return "too large";
    case KW_EPARSE:
        return "malformed input";
    case KW_EIO:
        return "input/output error";
    case KW_ENET:
        return "network error";
    case KW_EHTTP:
        return "HTTP error";
    case KW_EDENIED:
        return "not allowed";
    case KW_EDB:
        return "database error";
    case KW_EDONE:
        return "stopped early";
    case KW_EEXIST:
        return "already exists";
    case KW_ENOTFOUND:
        return "not found";
    case KW_EVERSION:
        return "written by a newer version";
    }
    return "unknown error";
}
