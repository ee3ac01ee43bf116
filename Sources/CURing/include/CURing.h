#ifndef C_URING_H
#define C_URING_H

// The io_uring calls of the datagram engine, the only code that touches liburing.
//
// One ring per engine thread, with two provided-buffer rings: small buffers for relay sockets
// and large ones (any UDP datagram) for listeners. Receives are multishot recvmsg requests
// that take a buffer from their group; sends are sendmsg requests with MSG_DONTWAIT, so each
// completes (or fails) while it is submitted and never waits in the kernel.

#include <stdint.h>
#include <sys/socket.h>

typedef struct tg_uring tg_uring;

/// One completion, with a received datagram already located in its buffer.
typedef struct {
    uint64_t user_data;
    /// The result: bytes or -errno.
    int32_t result;
    /// Whether the request stays armed (IORING_CQE_F_MORE).
    int32_t more;
    /// The provided buffer the datagram landed in, or -1.
    int32_t buffer_group;
    int32_t buffer_id;
    /// The datagram, its source address and whether the kernel cut it (MSG_TRUNC).
    const void *payload;
    uint32_t payload_length;
    uint32_t name_length;
    const struct sockaddr *name;
    int32_t truncated;
} tg_completion;

/// Sizes of a ring.
typedef struct {
    unsigned entries;
    unsigned small_count;
    unsigned small_size;
    unsigned large_count;
    unsigned large_size;
} tg_uring_sizes;

/// The buffer group of relay sockets and of listeners.
enum { tg_group_small = 0, tg_group_large = 1 };

/// Sets up a ring and its buffer groups; NULL with *error = errno when io_uring or provided
/// buffer rings are unavailable (seccomp, an old kernel, a limit).
tg_uring *tg_uring_open(tg_uring_sizes sizes, int *error);
void tg_uring_close(tg_uring *ring);
/// Enables the ring for the calling thread, the only one that may submit to it from then on.
int tg_uring_start(tg_uring *ring);
/// Whether the kernel honours a minimum batching wait (IORING_FEAT_MIN_TIMEOUT, Linux 6.12).
int tg_uring_has_min_wait(const tg_uring *ring);

/// Arms a multishot recvmsg on `fd` into buffers of `group`; -EBUSY when the submission queue
/// is full even after submitting. Bit 62 of `user_data` must be set exactly for the large group.
int tg_uring_receive(tg_uring *ring, int fd, int group, uint64_t user_data);
/// Arms a multishot poll for readability of `fd` (the engine's wake-up eventfd).
int tg_uring_poll(tg_uring *ring, int fd, uint64_t user_data);
/// Cancels every request tagged `user_data`.
int tg_uring_cancel(tg_uring *ring, uint64_t user_data);
/// Queues a sendmsg (MSG_DONTWAIT); `message` is copied when submitted, its data must stay
/// valid until the completion.
int tg_uring_send(tg_uring *ring, int fd, const struct msghdr *message, uint64_t user_data);
/// Submits what is queued and waits for `wait_count` completions, at most `timeout_ns`
/// (negative: no limit); with `min_wait_us` on a kernel that has it, returns after that long
/// once at least one completion is there. Returns >= 0, or -errno (-ETIME, -EINTR are normal).
int tg_uring_submit_and_wait(tg_uring *ring, unsigned wait_count, int64_t timeout_ns, unsigned min_wait_us);
/// Copies up to `capacity` completions out, locating received datagrams; call
/// tg_uring_consume with how many were handled, and tg_uring_recycle for each buffer.
unsigned tg_uring_completions(tg_uring *ring, tg_completion *out, unsigned capacity);
void tg_uring_consume(tg_uring *ring, unsigned count);
/// Moves completions the kernel kept aside when the completion queue was full back into it;
/// returns 1 when there were any (take completions again), 0 when not, or -errno.
int tg_uring_flush_overflow(tg_uring *ring);
/// Gives a provided buffer back to its group.
void tg_uring_recycle(tg_uring *ring, int group, int buffer_id);

#endif
