/* Placeholder until the crawler lands: replaced by the crawler module. */
#include "kw/crawler.h"

const char *kw_crawler_default_user_agent(void)
{
    return "kowatch/" KW_VERSION " (+https://github.com/kowatch/kowatch)";
}
