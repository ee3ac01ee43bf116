#define _GNU_SOURCE
#include <sys/socket.h>
#include <stddef.h>
#include "CDatagramCalls.h"

_Static_assert(sizeof(tg_mmsghdr) == sizeof(struct mmsghdr), "tg_mmsghdr must match struct mmsghdr");

int tg_sendmmsg(int fd, tg_mmsghdr *messages, unsigned int count, int flags) {
    return sendmmsg(fd, (struct mmsghdr *)messages, count, flags);
}

int tg_recvmmsg(int fd, tg_mmsghdr *messages, unsigned int count, int flags) {
    return recvmmsg(fd, (struct mmsghdr *)messages, count, flags, NULL);
}
