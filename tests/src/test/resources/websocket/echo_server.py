# A WebSocket (RFC 6455) echo server from the standard library: answers the opening handshake with
# 101, then echoes every frame (text, binary, close) unmasked; ends a connection at its close frame.
# Usage: echo_server.py BIND_IP PORT
import base64, hashlib, socket, sys, threading
GUID = b'258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
def exact(c, n):
    b = b''
    while len(b) < n:
        d = c.recv(n - len(b))
        if not d:
            raise EOFError
        b += d
    return b
def serve(c):
    with c:
        head = b''
        while b'\r\n\r\n' not in head:
            d = c.recv(4096)
            if not d:
                return
            head += d
        fields = dict((l.split(b':', 1)[0].strip().lower(), l.split(b':', 1)[1].strip())
                      for l in head.split(b'\r\n')[1:] if b':' in l)
        accept = base64.b64encode(hashlib.sha1(fields[b'sec-websocket-key'] + GUID).digest())
        c.sendall(b'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                  b'Sec-WebSocket-Accept: ' + accept + b'\r\n\r\n')
        while True:
            b0, b1 = exact(c, 2)
            n = b1 & 127
            if n == 126:
                n = int.from_bytes(exact(c, 2), 'big')
            mask = exact(c, 4) if b1 & 128 else bytes(4)
            payload = bytes(x ^ mask[i % 4] for i, x in enumerate(exact(c, n)))
            length = bytes([n]) if n < 126 else bytes([126]) + n.to_bytes(2, 'big')
            c.sendall(bytes([0x80 | (b0 & 15)]) + length + payload)
            if b0 & 15 == 8:
                return
s = socket.create_server((sys.argv[1], int(sys.argv[2])))
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
