"""Small helpers the benchmark scripts share: a free loopback port, a process's memory, a
server started on a data directory."""

import os
import socket
import subprocess


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid, field="VmRSS"):
    """The resident memory of process `pid`, in MiB: now (VmRSS) or at its peak (VmHWM)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def memory_mib(pid):
    """Process `pid`'s resident memory in MiB: now (VmRSS), of it anonymous (RssAnon: heap and
    stacks, the rest is mapped files such as the database and the index), and at its peak
    (VmHWM)."""
    return tuple(rss_mib(pid, field) for field in ("VmRSS", "RssAnon", "VmHWM"))


def spawn(binary, data, admin_password, **settings):
    """Starts `binary` serving `data` on a free port, the first admin's password set and any
    further `PYKB_*` settings given (`METRICS="1"`); returns the process and its port."""
    port = free_port()
    env = dict(
        os.environ,
        PYKB_DATA_DIR=data,
        PYKB_ADDR=f"127.0.0.1:{port}",
        PYKB_ADMIN_PASSWORD=admin_password,
        RUST_LOG="warn",
        # Benchmarks measure serving: no examples running beside it (a setting can turn it on).
        PYKB_VERIFY="0",
    )
    env.update({f"PYKB_{name}": value for name, value in settings.items()})
    return subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL), port
