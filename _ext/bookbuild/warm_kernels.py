"""Chapter kernels that start with TensorFlow already imported: forked from one warm process.

Every chapter of the book imports TensorFlow, and myst-nb executes each chapter in a
new Jupyter kernel: a new interpreter, IPython's kernel and then ``import tensorflow``,
about four seconds of one core per chapter before its first cell does any work. Twelve
chapters paid that twelve times in every clean build.

Here one process (the *warm process*, :func:`serve`) imports numpy and TensorFlow once
(:data:`PRELOAD`), then waits on a Unix socket. The kernel that Jupyter starts for a chapter
is a small launcher (:func:`launch`, stdlib only, run as ``python warm_kernels.py launch
SOCKET -f CONNECTION_FILE``): it hands the warm process its standard streams, working folder,
environment and arguments, and the warm process forks. The child takes all of these over,
draws a fresh seed for numpy's global generator as a new interpreter would,
and runs IPython's kernel on the connection file exactly as ``python -m ipykernel_launcher``
does. Nothing has run in the warm process but imports: importing TensorFlow starts no
thread and creates no TensorFlow context, so every child starts from the same state a new
interpreter reaches after the same imports.

The launcher stays the kernel's process for Jupyter: it forwards an interrupt or a
termination to the child and exits with the child's status. If Jupyter kills the launcher,
the warm process sees its socket close and kills the child. The warm process lives as long
as one up-front execution (:func:`bookbuild.schedule.execute_stale`, through
:class:`WarmKernels`) and ends with it.

A chapter the up-front execution cannot run is run again by myst-nb in a plain kernel, as
before, so a failure is always reported by the usual path.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys

#: What the warm process imports before it forks: what every chapter imports, and nothing that reads the
#: kernel's environment at import (ipykernel does: it is imported in each child, after the environment is set).
PRELOAD = ("numpy", "tensorflow")
LAUNCHER = os.path.abspath(__file__)
#: How long a launcher waits for the warm process to listen (it starts with the up-front execution).
CONNECT_SECONDS = 120
_STREAMS = (0, 1, 2)


# ------------------------------------------------------------------ the launcher (Jupyter's kernel process)
def _send_message(connection: socket.socket, message: dict) -> None:
    connection.sendall(json.dumps(message).encode() + b"\n")


def _read_line(connection: socket.socket, buffer: bytearray) -> bytes | None:
    while b"\n" not in buffer:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        buffer.extend(chunk)
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    return line


def launch(path: str, kernel_args: list[str]) -> int:
    """Ask the warm process at ``path`` for a kernel with ``kernel_args``; return its exit status."""
    import time

    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:  # the warm process may still be importing TensorFlow
        try:
            connection.connect(path)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    request = {"args": kernel_args, "cwd": os.getcwd(), "env": dict(os.environ)}
    payload = json.dumps(request).encode() + b"\n"
    sent = socket.send_fds(connection, [payload[:4096]], list(_STREAMS))
    connection.sendall(payload[sent:])
    buffer = bytearray()
    line = _read_line(connection, buffer)
    if line is None:
        return 1
    child = int(line)

    def forward(signum, frame):  # Jupyter interrupts or ends the kernel through this process
        try:
            os.kill(child, signum)
        except ProcessLookupError:
            pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, forward)
    line = _read_line(connection, buffer)  # the child's exit status (a signal in between does not end the wait)
    return 1 if line is None else int(line)


# ------------------------------------------------------------------ the warm process
def _child(request: dict, streams: list[int]) -> None:
    """In the forked child: become the kernel a new ``python -m ipykernel_launcher`` would be."""
    for target, fd in zip(_STREAMS, streams):
        os.dup2(fd, target)
    for fd in streams:
        os.close(fd)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the warm process's own handlers, undone
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    import numpy

    # A new interpreter seeds numpy's global generator from the OS; forked children must not share
    # one (``random`` reseeds itself in a forked child).
    numpy.random.seed()
    import importlib.util

    sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *request["args"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def serve(path: str) -> None:
    """Import :data:`PRELOAD`, then fork a kernel for each launcher that connects to ``path``."""
    import importlib

    del sys.path[0]  # this file's folder, which ``python warm_kernels.py`` put first and a kernel does not have
    for name in PRELOAD:
        importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    parent = os.getppid()
    children: dict[int, socket.socket] = {}
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    while not stopping and os.getppid() == parent:
        ready, _, _ = select.select([listener, *children.values()], [], [], 0.1)
        for item in ready:
            if item is listener:
                connection, _ = listener.accept()
                message, streams, _, _ = socket.recv_fds(connection, 4096, len(_STREAMS))
                buffer = bytearray(message)
                line = _read_line(connection, buffer)
                if line is None or len(streams) != len(_STREAMS):
                    connection.close()
                    continue
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    for other in children.values():
                        other.close()
                    connection.close()
                    status = 1
                    try:
                        _child(json.loads(line), streams)
                        status = 0
                    except SystemExit as done:
                        status = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
                    finally:
                        sys.stdout.flush()
                        sys.stderr.flush()
                        os._exit(status)
                for fd in streams:
                    os.close(fd)
                connection.sendall(f"{pid}\n".encode())
                children[pid] = connection
            else:  # the launcher is gone (killed): so is its kernel
                pid = next(p for p, c in children.items() if c is item)
                if not item.recv(1, socket.MSG_PEEK):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        while children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            connection = children.pop(pid, None)
            if connection is not None:
                try:
                    connection.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
                except OSError:
                    pass
                connection.close()
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ------------------------------------------------------------------ the build's side
class WarmKernels:
    """The warm process of one up-front execution, and the kernel manager class that uses it.

    ``with WarmKernels() as warm:`` starts it (its socket in a new temporary folder); each job passes
    ``warm.socket`` to :func:`kernel_manager_class` in its worker.
    """

    def __init__(self):
        import subprocess
        import tempfile

        # a short path: a Unix socket's path may not be longer than 107 bytes
        self.folder = tempfile.mkdtemp(prefix="warm-kernels-")
        self.socket = os.path.join(self.folder, "socket")
        # what it prints (TensorFlow's notice at import, or why it stopped) goes here, not into the build's output
        self.errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        # not waited for: a launcher waits until the socket listens (CONNECT_SECONDS)
        self.process = subprocess.Popen([sys.executable, LAUNCHER, "serve", self.socket], stdin=subprocess.DEVNULL,
                                        stdout=self.errors, stderr=subprocess.STDOUT)

    def __enter__(self) -> WarmKernels:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> str | None:
        """End the warm process; if it had stopped by itself, say why (its exit status and last output)."""
        import shutil

        failure = None
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait()
        elif self.process.returncode != 0:
            self.errors.seek(0)
            failure = f"the warm kernel process stopped (exit status {self.process.returncode}): {self.errors.read()[-2000:]}"
        self.errors.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        return failure


def kernel_manager_class(socket_path: str):
    """Jupyter's kernel manager, starting its kernels through the warm process at ``socket_path``."""
    from jupyter_client.manager import AsyncKernelManager

    class WarmKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):
            spec = super().kernel_spec
            if spec is not None and spec.language == "python" and spec.argv[1:3] != [LAUNCHER, "launch"]:
                spec.argv = [sys.executable, LAUNCHER, "launch", socket_path, *spec.argv[3:]]
            return spec

    return WarmKernelManager


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"] and len(sys.argv) == 3:
        serve(sys.argv[2])
    elif sys.argv[1:2] == ["launch"] and len(sys.argv) > 3:
        sys.exit(launch(sys.argv[2], sys.argv[3:]))
    else:
        sys.exit("usage: warm_kernels.py serve SOCKET | launch SOCKET -f CONNECTION_FILE")
