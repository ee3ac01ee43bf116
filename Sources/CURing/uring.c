#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <poll.h>
#include <liburing.h>
#include "CURing.h"

#ifndef IORING_FEAT_MIN_TIMEOUT
#define IORING_FEAT_MIN_TIMEOUT (1U << 15)
#endif

struct tg_group {
    struct io_uring_buf_ring *ring;
    unsigned char *memory;
    unsigned count;
    unsigned size;
    int mask;
};

struct tg_uring {
    struct io_uring ring;
    struct tg_group groups[2];
    int min_wait;
    /// The recvmsg template: room for an IPv6 source address, no control data.
    struct msghdr template;
};

static int setup_group(tg_uring *uring, int group, unsigned count, unsigned size) {
    struct tg_group *g = &uring->groups[group];
    size_t ring_bytes = (size_t)count * sizeof(struct io_uring_buf);
    void *ring_memory = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (ring_memory == MAP_FAILED) return -errno;
    g->ring = ring_memory;
    g->count = count;
    g->size = size;
    g->mask = io_uring_buf_ring_mask(count);
    g->memory = malloc((size_t)count * size);
    if (!g->memory) return -ENOMEM;
    io_uring_buf_ring_init(g->ring);
    struct io_uring_buf_reg reg;
    memset(&reg, 0, sizeof(reg));
    reg.ring_addr = (uint64_t)(uintptr_t)g->ring;
    reg.ring_entries = count;
    reg.bgid = (uint16_t)group;
    int rc = io_uring_register_buf_ring(&uring->ring, &reg, 0);
    if (rc < 0) return rc;
    for (unsigned i = 0; i < count; i++) {
        io_uring_buf_ring_add(g->ring, g->memory + (size_t)i * size, size, (unsigned short)i, g->mask, (int)i);
    }
    io_uring_buf_ring_advance(g->ring, (int)count);
    return 0;
}

static void free_group(struct tg_group *g) {
    if (g->ring) munmap(g->ring, (size_t)g->count * sizeof(struct io_uring_buf));
    free(g->memory);
}

tg_uring *tg_uring_open(tg_uring_sizes sizes, int *error) {
    tg_uring *uring = calloc(1, sizeof(tg_uring));
    if (!uring) { *error = ENOMEM; return NULL; }
    struct io_uring_params params;
    memset(&params, 0, sizeof(params));
    // Disabled until tg_uring_start: a single-issuer ring belongs to the thread that enables it.
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN
        | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_R_DISABLED;
    params.cq_entries = sizes.entries * 8;
    int rc = io_uring_queue_init_params(sizes.entries, &uring->ring, &params);
    if (rc < 0) {
        // Kernels before 6.1 lack DEFER_TASKRUN: try again without the optimisations.
        memset(&params, 0, sizeof(params));
        params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_R_DISABLED;
        params.cq_entries = sizes.entries * 8;
        rc = io_uring_queue_init_params(sizes.entries, &uring->ring, &params);
    }
    if (rc < 0) { free(uring); *error = -rc; return NULL; }
    uring->min_wait = (params.features & IORING_FEAT_MIN_TIMEOUT) != 0;
    rc = setup_group(uring, tg_group_small, sizes.small_count, sizes.small_size);
    if (rc == 0) rc = setup_group(uring, tg_group_large, sizes.large_count, sizes.large_size);
    if (rc < 0) {
        tg_uring_close(uring);
        *error = -rc;
        return NULL;
    }
    uring->template.msg_namelen = sizeof(struct sockaddr_in6);
    return uring;
}

void tg_uring_close(tg_uring *uring) {
    if (!uring) return;
    io_uring_queue_exit(&uring->ring);
    free_group(&uring->groups[0]);
    free_group(&uring->groups[1]);
    free(uring);
}

int tg_uring_start(tg_uring *uring) {
    // IORING_REGISTER_ENABLE_RINGS (Debian's liburing 2.3 declares io_uring_enable_rings but does not export it).
    int rc = (int)syscall(__NR_io_uring_register, uring->ring.ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
    return rc < 0 ? -errno : rc;
}

int tg_uring_has_min_wait(const tg_uring *uring) { return uring->min_wait; }

/// A submission entry, submitting what is queued first when the queue is full.
static struct io_uring_sqe *next_entry(tg_uring *uring) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(&uring->ring);
    if (sqe) return sqe;
    io_uring_submit(&uring->ring);
    return io_uring_get_sqe(&uring->ring);
}

int tg_uring_receive(tg_uring *uring, int fd, int group, uint64_t user_data) {
    struct io_uring_sqe *sqe = next_entry(uring);
    if (!sqe) return -EBUSY;
    io_uring_prep_recvmsg_multishot(sqe, fd, &uring->template, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = (uint16_t)group;
    io_uring_sqe_set_data64(sqe, user_data);
    return 0;
}

int tg_uring_poll(tg_uring *uring, int fd, uint64_t user_data) {
    struct io_uring_sqe *sqe = next_entry(uring);
    if (!sqe) return -EBUSY;
    io_uring_prep_poll_multishot(sqe, fd, POLLIN);
    io_uring_sqe_set_data64(sqe, user_data);
    return 0;
}

int tg_uring_cancel(tg_uring *uring, uint64_t user_data) {
    struct io_uring_sqe *sqe = next_entry(uring);
    if (!sqe) return -EBUSY;
    io_uring_prep_cancel64(sqe, user_data, IORING_ASYNC_CANCEL_ALL);
    io_uring_sqe_set_data64(sqe, 0);
    return 0;
}

int tg_uring_send(tg_uring *uring, int fd, const struct msghdr *message, uint64_t user_data) {
    struct io_uring_sqe *sqe = next_entry(uring);
    if (!sqe) return -EBUSY;
    io_uring_prep_sendmsg(sqe, fd, message, MSG_DONTWAIT);
    io_uring_sqe_set_data64(sqe, user_data);
    return 0;
}

int tg_uring_submit_and_wait(tg_uring *uring, unsigned wait_count, int64_t timeout_ns, unsigned min_wait_us) {
    struct io_uring *ring = &uring->ring;
    // Publish the queued entries (what liburing's submit does before entering the kernel).
    struct io_uring_sq *sq = &ring->sq;
    unsigned tail = sq->sqe_tail;
    if (sq->sqe_head != tail) {
        sq->sqe_head = tail;
        io_uring_smp_store_release(sq->ktail, tail);
    }
    unsigned to_submit = tail - io_uring_smp_load_acquire(sq->khead);
    if (wait_count > 0 && io_uring_cq_ready(ring) > 0) wait_count = 0;
    struct __kernel_timespec ts;
    struct io_uring_getevents_arg arg;
    memset(&arg, 0, sizeof(arg));
    unsigned flags = 0;
    if (wait_count > 0) {
        flags |= IORING_ENTER_GETEVENTS;
        if (timeout_ns >= 0 || (min_wait_us > 0 && uring->min_wait)) {
            flags |= IORING_ENTER_EXT_ARG;
            arg.sigmask_sz = _NSIG / 8;
            if (uring->min_wait) arg.pad = min_wait_us; // min_wait_usec since Linux 6.12
            if (timeout_ns >= 0) {
                ts.tv_sec = timeout_ns / 1000000000;
                ts.tv_nsec = timeout_ns % 1000000000;
                arg.ts = (uint64_t)(uintptr_t)&ts;
            }
        }
    }
    if (to_submit == 0 && flags == 0) return 0;
    if ((ring->flags & IORING_SETUP_DEFER_TASKRUN) && !(flags & IORING_ENTER_GETEVENTS)) {
        // With deferred task work, completions are only run when getting events.
        flags |= IORING_ENTER_GETEVENTS;
    }
    int rc = (int)syscall(__NR_io_uring_enter, ring->ring_fd, to_submit, wait_count, flags,
        (flags & IORING_ENTER_EXT_ARG) ? (void *)&arg : NULL, (flags & IORING_ENTER_EXT_ARG) ? sizeof(arg) : _NSIG / 8);
    return rc < 0 ? -errno : rc;
}

unsigned tg_uring_completions(tg_uring *uring, tg_completion *out, unsigned capacity) {
    struct io_uring *ring = &uring->ring;
    unsigned head = *ring->cq.khead;
    unsigned available = io_uring_cq_ready(ring);
    unsigned count = available < capacity ? available : capacity;
    for (unsigned i = 0; i < count; i++) {
        struct io_uring_cqe *cqe = &ring->cq.cqes[(head + i) & ring->cq.ring_mask];
        tg_completion *c = &out[i];
        c->user_data = cqe->user_data;
        c->result = cqe->res;
        c->more = (cqe->flags & IORING_CQE_F_MORE) != 0;
        c->buffer_group = -1;
        c->buffer_id = -1;
        c->payload = NULL;
        c->payload_length = 0;
        c->name = NULL;
        c->name_length = 0;
        c->truncated = 0;
        if (!(cqe->flags & IORING_CQE_F_BUFFER)) continue;
        int id = (int)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        // Which group: the request's user data says (bit 62 marks listeners).
        int group = (cqe->user_data >> 62) & 1 ? tg_group_large : tg_group_small;
        struct tg_group *g = &uring->groups[group];
        c->buffer_group = group;
        c->buffer_id = id;
        if (cqe->res < 0 || (unsigned)id >= g->count) continue;
        void *buffer = g->memory + (size_t)id * g->size;
        struct io_uring_recvmsg_out *o = io_uring_recvmsg_validate(buffer, cqe->res, &uring->template);
        if (!o) { c->truncated = 1; continue; }
        c->name = io_uring_recvmsg_name(o);
        c->name_length = o->namelen;
        c->payload = io_uring_recvmsg_payload(o, &uring->template);
        c->payload_length = io_uring_recvmsg_payload_length(o, cqe->res, &uring->template);
        c->truncated = (o->flags & MSG_TRUNC) != 0;
    }
    return count;
}

void tg_uring_consume(tg_uring *uring, unsigned count) { io_uring_cq_advance(&uring->ring, count); }

int tg_uring_flush_overflow(tg_uring *uring) {
    struct io_uring *ring = &uring->ring;
    if (!(IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_CQ_OVERFLOW)) return 0;
    int rc = (int)syscall(__NR_io_uring_enter, ring->ring_fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, _NSIG / 8);
    if (rc < 0) return -errno;
    return io_uring_cq_ready(ring) > 0 ? 1 : 0;
}

void tg_uring_recycle(tg_uring *uring, int group, int buffer_id) {
    struct tg_group *g = &uring->groups[group];
    io_uring_buf_ring_add(g->ring, g->memory + (size_t)buffer_id * g->size, g->size, (unsigned short)buffer_id, g->mask, 0);
    io_uring_buf_ring_advance(g->ring, 1);
}
