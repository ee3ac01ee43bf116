"""Runs a command with io_uring denied, the way a container runtime's default seccomp
profile denies it (Docker's and containerd's answer EPERM to io_uring_setup and friends).

    python3 seccomp_exec.py -- <command> [args...]

Installs a seccomp filter on this process (inherited across execve) that makes
io_uring_setup, io_uring_enter and io_uring_register fail with EPERM, then execs the
command. Linux only; the three system calls have the same numbers on x86-64 and arm64.
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct
import sys

IO_URING_SYSCALLS = (425, 426, 427)   # io_uring_setup, io_uring_enter, io_uring_register
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF_0000
SECCOMP_RET_ERRNO = 0x0005_0000
BPF_LD_W_ABS = 0x20      # BPF_LD | BPF_W | BPF_ABS
BPF_JEQ_K = 0x15         # BPF_JMP | BPF_JEQ | BPF_K
BPF_RET_K = 0x06         # BPF_RET | BPF_K
SECCOMP_DATA_NR = 0      # offsetof(struct seccomp_data, nr)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def filter_program() -> bytes:
    """Load the system call number; each io_uring call returns EPERM; anything else runs."""
    instructions = [(BPF_LD_W_ABS, 0, 0, SECCOMP_DATA_NR)]
    for index, number in enumerate(IO_URING_SYSCALLS):
        # Equal: jump to the EPERM return (past the remaining tests and the ALLOW).
        remaining = len(IO_URING_SYSCALLS) - index - 1
        instructions.append((BPF_JEQ_K, remaining + 1, 0, number))
    instructions.append((BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    instructions.append((BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno.EPERM))
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in instructions)


def deny_io_uring() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    program = filter_program()
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        sys.exit("usage: seccomp_exec.py -- <command> [args...]")
    deny_io_uring()
    os.execv(args[0], args)


if __name__ == "__main__":
    main()
