#ifndef TURNGATE_CHIREDIS_SHIM_H
#define TURNGATE_CHIREDIS_SHIM_H

// The only C surface TurnGate uses: hiredis 0.14 (Debian 12's libhiredis-dev).
// TURNRedis calls redisConnectWithTimeout, redisSetTimeout, redisCommandArgv,
// redisGetReply / redisGetReplyFromReader (pub/sub reads), freeReplyObject and redisFree;
// never the variadic redisCommand.
#include <hiredis/hiredis.h>

#endif
