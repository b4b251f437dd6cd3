"""A worker process that cannot open a network socket: behind the refusal of SERVICE in kg.serve.app, the
kernel refuses too, so no query text the server failed to read as one reaches another machine.

A seccomp filter (Linux, x86-64 and arm64) makes socket() fail with EACCES for every family but AF_UNIX (the
worker's pipe to the server was made before). Elsewhere nothing is changed, and `forbid_network` says so.
"""

from __future__ import annotations

import ctypes
import platform
import struct

__all__ = ["forbid_network"]

_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}  # AUDIT_ARCH_*, the socket syscall's number
_LOAD, _JUMP_IF_EQUAL, _RETURN = 0x20, 0x15, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_RET|K
_ALLOW, _REFUSE = 0x7FFF0000, 0x00050000 | 13  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EACCES
_AF_UNIX = 1


class _Filter(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def forbid_network() -> bool:
    """Forbid this process (and its children) network sockets; whether it could."""
    machine = platform.machine()
    if platform.system() != "Linux" or machine not in _ARCH:
        return False
    arch, socket_call = _ARCH[machine]
    program = [
        (_LOAD, 0, 0, 4),                   # the architecture
        (_JUMP_IF_EQUAL, 0, 5, arch),       # another: allow
        (_LOAD, 0, 0, 0),                   # the system call
        (_JUMP_IF_EQUAL, 0, 3, socket_call),  # not socket(): allow
        (_LOAD, 0, 0, 16),                  # its first argument, the address family
        (_JUMP_IF_EQUAL, 1, 0, _AF_UNIX),   # AF_UNIX: allow
        (_RETURN, 0, 0, _REFUSE),
        (_RETURN, 0, 0, _ALLOW),
    ]
    code = b"".join(struct.pack("HBBI", *instruction) for instruction in program)
    libc = ctypes.CDLL(None, use_errno=True)
    no_new_privileges, set_seccomp, filter_mode = 38, 22, 2
    if libc.prctl(no_new_privileges, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(set_seccomp, filter_mode, ctypes.byref(_Filter(len(program), code)), 0, 0) == 0
