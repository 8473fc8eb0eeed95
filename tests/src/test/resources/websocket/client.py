# A WebSocket (RFC 6455) client from the standard library: opening handshake, one masked text
# frame, its echo, the closing handshake. Prints "101 <echo>", or the status when it is not 101.
# Usage: client.py HOST PORT PATH MESSAGE
import os, socket, sys
host, port, path, msg = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].encode()
c = socket.create_connection((host, port), timeout=5)
c.sendall(('GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
           'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
           % (path, host, port)).encode())
data = b''
while b'\r\n\r\n' not in data:
    data += c.recv(4096)
head, data = data.split(b'\r\n\r\n', 1)
status = head.split(b' ')[1].decode()
if status != '101':
    print(status)
    sys.exit(0)
mask = os.urandom(4)
c.sendall(bytes([0x81, 0x80 | len(msg)]) + mask + bytes(x ^ mask[i % 4] for i, x in enumerate(msg)))
while len(data) < 2 + len(msg):
    data += c.recv(4096)
echoed = data[2:2 + len(msg)].decode()
c.sendall(bytes([0x88, 0x80]) + mask)
while c.recv(4096):
    pass
print(status + ' ' + echoed)
