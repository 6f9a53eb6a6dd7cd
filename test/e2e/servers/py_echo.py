"""WebSocket echo peer for the e2e tests, written against Debian's python3-websockets (10.4).

It is an independent implementation of the protocol, so it catches assumptions our client and
a `ws` test server might share. Besides echoing text and binary messages it understands:

  headers?          replies with the opening handshake's request headers as a JSON object
                    (lower-case names; repeated headers joined with ", ")
  path?             replies with the request path (including the query string)
  subprotocol?      replies with the negotiated subprotocol, or "" when none
  binary?           replies with the binary message 00 01 02 7f 80 fe ff
  msgpack?          replies with a MessagePack message written by Debian's python3-msgpack:
                    {"op": "tick", "symbol": "ACME", "price": 12.5, "levels": [[12.4, 300]],
                    "blob": b"\x00\x01", 7: "seven"}
  unpack msgpack    from then on, answers each binary message with the JSON text python3-msgpack
                    decodes it to (bytes as {"$bytes": base64}), or "not msgpack: <error>"
  close CODE REASON closes the connection with that code and reason, e.g. "close 4001 bye"

Usage: /usr/bin/python3 py_echo.py [--host 127.0.0.1] [--port 0] [--subprotocols chat,json]
Prints "LISTENING <port>" once ready; stops on SIGTERM, SIGINT or when stdin closes.
"""

import argparse
import asyncio
import json
import signal
import sys

try:
    import websockets
except ImportError:
    sys.stderr.write("py_echo.py needs Debian's python3-websockets: apt-get install python3-websockets\n")
    sys.exit(3)

BINARY_SAMPLE = bytes([0x00, 0x01, 0x02, 0x7F, 0x80, 0xFE, 0xFF])


def request_headers(websocket):
    headers = {}
    for name, value in websocket.request_headers.raw_items():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def unpacked(data):
    """A binary message as python3-msgpack reads it, as JSON text (the forms of docs/decoders.md)."""
    import base64

    import msgpack

    def plain(value):
        if isinstance(value, (bytes, bytearray)):
            return {"$bytes": base64.b64encode(value).decode()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k if isinstance(k, str) else json.dumps(plain(k)): plain(v) for k, v in value.items()}
        return value

    try:
        return json.dumps(plain(msgpack.unpackb(data, raw=False, strict_map_key=False)), separators=(",", ":"))
    except Exception as error:  # the reply says what the library made of it
        return f"not msgpack: {error}"


async def handle(websocket):
    unpack = False
    try:
        async for message in websocket:
            if isinstance(message, bytes):
                await websocket.send(unpacked(message) if unpack else message)
            elif message == "unpack msgpack":
                unpack = True
                await websocket.send("unpacking msgpack")
            elif message == "headers?":
                await websocket.send(json.dumps(request_headers(websocket)))
            elif message == "path?":
                await websocket.send(websocket.path)
            elif message == "subprotocol?":
                await websocket.send(websocket.subprotocol or "")
            elif message == "binary?":
                await websocket.send(BINARY_SAMPLE)
            elif message == "msgpack?":
                # Imported here: only the decoder tests need python3-msgpack.
                import msgpack

                sample = {"op": "tick", "symbol": "ACME", "price": 12.5, "levels": [[12.4, 300]], "blob": b"\x00\x01", 7: "seven"}
                await websocket.send(msgpack.packb(sample, use_bin_type=True))
            elif message.startswith("close "):
                parts = message.split(" ", 2)
                code = int(parts[1])
                reason = parts[2] if len(parts) > 2 else ""
                await websocket.close(code, reason)
            else:
                await websocket.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--subprotocols", default="", help="comma-separated list the server accepts")
    options = parser.parse_args()
    subprotocols = [p for p in options.subprotocols.split(",") if p] or None

    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    # The parent holds our stdin open; when it dies without signalling us, stdin closes.
    loop.add_reader(sys.stdin.fileno(), lambda: sys.stdin.buffer.read1(4096) or (stop.done() or stop.set_result(None)))

    async with websockets.serve(handle, options.host, options.port, subprotocols=subprotocols) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"LISTENING {port}", flush=True)
        await stop


if __name__ == "__main__":
    asyncio.run(main())
