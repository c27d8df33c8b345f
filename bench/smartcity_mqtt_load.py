"""A fast QoS-1 load generator for the smart-city bench: a minimal MQTT 3.1.1 publisher that
batches PUBLISH packets into large socket writes and reads PUBACKs in a thread.

Why not paho: paho's publish path costs tens of microseconds per message in Python, so on this
2-core machine the publisher — not Kent — would set the ceiling (~5–7k/s). A real deployment has
thousands of devices publishing from elsewhere; this stands in for them. It keeps QoS-1 promises:
every message stays pending until its PUBACK, and after a lost connection (broker restart) it
reconnects and sends the pending ones again (DUP), as a device's client would."""

import socket
import struct
import threading
import time
from collections.abc import Callable, Sequence


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _string(s: bytes) -> bytes:
    return struct.pack("!H", len(s)) + s


def _connect_packet(client_id: str, keepalive: int = 0) -> bytes:
    body = _string(b"MQTT") + bytes([4, 0x02]) + struct.pack("!H", keepalive) + _string(client_id.encode())
    return b"\x10" + _varint(len(body)) + body


def _publish_packet(topic: bytes, payload: bytes, pid: int, dup: bool) -> bytes:
    body = _string(topic) + struct.pack("!H", pid) + payload
    return bytes([0x32 | (0x08 if dup else 0)]) + _varint(len(body)) + body


class LoadPublisher:
    def __init__(self, host: str, port: int, client_id: str, window: int = 20000) -> None:
        self.host, self.port, self.client_id, self.window = host, port, client_id, window
        self.pending: dict[int, int] = {}  # packet id -> message index, until PUBACK
        self.lock = threading.Condition()
        self.sock: socket.socket | None = None
        self.broken = threading.Event()
        self.reconnects = 0

    def _connect(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=5)
                sock.sendall(_connect_packet(self.client_id))
                ack = sock.recv(4)
                if len(ack) == 4 and ack[0] == 0x20 and ack[3] == 0:
                    sock.settimeout(None)
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.sock = sock
                    self.broken.clear()
                    threading.Thread(target=self._read, args=(sock,), daemon=True).start()
                    return
                sock.close()
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise ConnectionError("broker unreachable")
            time.sleep(0.2)

    def _read(self, sock: socket.socket) -> None:
        buf = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                buf += chunk
                acked = []
                while len(buf) >= 2:
                    kind, length = buf[0] >> 4, buf[1]  # PUBACK and PINGRESP have short, one-byte lengths
                    if len(buf) < 2 + length:
                        break
                    if kind == 4:
                        acked.append(struct.unpack("!H", buf[2:4])[0])
                    buf = buf[2 + length:]
                if acked:
                    with self.lock:
                        for pid in acked:
                            self.pending.pop(pid, None)
                        self.lock.notify_all()
        except OSError:
            pass
        self.broken.set()
        with self.lock:
            self.lock.notify_all()

    def _send(self, packets: list[bytes]) -> None:
        try:
            self.sock.sendall(b"".join(packets))
        except OSError:
            self.broken.set()

    def _recover(self, messages: Sequence[tuple[str, bytes]]) -> None:
        """After a lost connection: reconnect and send every unacknowledged message again."""
        if self.sock:
            self.sock.close()
        self._connect()
        self.reconnects += 1
        with self.lock:
            again = sorted(self.pending.items(), key=lambda kv: kv[1])
        self._send([_publish_packet(messages[i][0].encode(), messages[i][1], pid, True) for pid, i in again])

    def publish_all(self, messages: Sequence[tuple[str, bytes]], on_half: Callable[[], None] | None = None,
                    chunk: int = 500, rate: float | None = None) -> None:
        """Publish every (topic, payload) at QoS 1, as fast as possible or at `rate` per second;
        return when all are acknowledged."""
        self._connect()
        pid = 0
        half = len(messages) // 2
        i = 0
        started = time.monotonic()
        if rate:
            chunk = max(1, min(chunk, int(rate / 50)))  # 50 sends a second keep the pace smooth
        while i < len(messages):
            if rate:
                ahead = i / rate - (time.monotonic() - started)
                if ahead > 0:
                    time.sleep(ahead)
            if self.broken.is_set():
                self._recover(messages)
            packets = []
            with self.lock:
                while len(self.pending) + chunk > self.window and not self.broken.is_set():
                    self.lock.wait(0.5)
                for _ in range(min(chunk, len(messages) - i)):
                    pid = pid % 65535 + 1
                    while pid in self.pending:
                        pid = pid % 65535 + 1
                    self.pending[pid] = i
                    packets.append(_publish_packet(messages[i][0].encode(), messages[i][1], pid, False))
                    i += 1
            self._send(packets)
            if on_half and i > half:
                on_half()
                on_half = None
        while True:
            with self.lock:
                if not self.pending:
                    break
                if not self.broken.is_set():
                    self.lock.wait(0.5)
                    continue
            self._recover(messages)
        try:
            self.sock.sendall(b"\xe0\x00")  # DISCONNECT
        except OSError:
            pass
        self.sock.close()
