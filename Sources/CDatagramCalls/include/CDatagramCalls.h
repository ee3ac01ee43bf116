#ifndef C_DATAGRAM_CALLS_H
#define C_DATAGRAM_CALLS_H

// The Linux calls the datagram engine makes that Swift's Glibc module leaves out: epoll,
// eventfd, and the batched sendmmsg/recvmmsg (which need _GNU_SOURCE, set in the .c file).

#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>

/// `struct mmsghdr`, declared here because glibc exposes it only under _GNU_SOURCE.
typedef struct {
    struct msghdr msg_hdr;
    unsigned int msg_len;
} tg_mmsghdr;

/// sendmmsg(2).
int tg_sendmmsg(int fd, tg_mmsghdr *messages, unsigned int count, int flags);
/// recvmmsg(2) without a timeout.
int tg_recvmmsg(int fd, tg_mmsghdr *messages, unsigned int count, int flags);

/// `UDP_SEGMENT` from linux/udp.h: a SOL_UDP control message giving the GSO segment size.
static const int tg_udp_segment = 103;
/// `MSG_TRUNC`: the datagram was longer than the buffer.
static const int tg_msg_trunc = MSG_TRUNC;
/// `MSG_DONTWAIT`.
static const int tg_msg_dontwait = MSG_DONTWAIT;

#endif
