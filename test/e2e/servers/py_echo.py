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
  cbor?             replies with a CBOR message written by Debian's python3-cbor2:
                    {"op": "tick", "symbol": "ACME", "price": 12.5, "levels": [[12.4, 300]],
                    "blob": b"\x00\x01", 7: "seven", "big": 2**64 - 1}
  unpack cbor       like unpack msgpack, with python3-cbor2 ("not cbor: <error>")
  protobuf?         replies with a feed.v1.Tick (test/fixtures/proto/feed.proto) serialized by
                    Debian's python3-protobuf: symbol "ACME", price 12.5, volume 2**40, side SELL,
                    one level (12.4, 300), tags {"desk": "eq"}, raw 00 01, venue {"XNAS", open}
  unpack protobuf   like unpack msgpack: each binary message parsed as a feed.v1.Tick, answered
                    with its proto3 JSON mapping (.proto field names), or "not protobuf: <error>"
  close CODE REASON closes the connection with that code and reason, e.g. "close 4001 bye"

Usage: /usr/bin/python3 py_echo.py [--host 127.0.0.1] [--port 0] [--subprotocols chat,json]
Prints "LISTENING <port>" once ready; stops on SIGTERM, SIGINT or when stdin closes.
"""

import argparse
import asyncio
import json
import os
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


def decoders():
    """test/fixtures/py_decoders.py, which builds feed.v1.Tick and the JSON forms of docs/decoders.md.

    Imported on first use: only the decoder tests need python3-msgpack, -cbor2 and -protobuf."""
    fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures")
    if fixtures not in sys.path:
        sys.path.insert(0, fixtures)
    import py_decoders

    return py_decoders


def unpacked(kind, data):
    """A binary message as the Python library for `kind` reads it, as JSON text."""
    codec = decoders()

    def plain(value):  # as to_json, but integers stay JSON numbers (the 25-decoders checks rely on it)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k if isinstance(k, str) else json.dumps(plain(k)): plain(v) for k, v in value.items()}
        return codec.to_json(value)

    try:
        if kind == "msgpack":
            value = plain(codec.msgpack.unpackb(data, raw=False, strict_map_key=False))
        elif kind == "cbor":
            value = plain(codec.cbor2.loads(data))
        else:
            message = codec.Tick()
            message.ParseFromString(data)
            value = codec.json_format.MessageToDict(message, preserving_proto_field_name=True)
        return json.dumps(value, separators=(",", ":"))
    except Exception as error:  # the reply says what the library made of it
        return f"not {kind}: {error}"


def sample(kind):
    codec = decoders()
    if kind == "msgpack":
        value = {"op": "tick", "symbol": "ACME", "price": 12.5, "levels": [[12.4, 300]], "blob": b"\x00\x01", 7: "seven"}
        return codec.msgpack.packb(value, use_bin_type=True)
    if kind == "cbor":
        value = {"op": "tick", "symbol": "ACME", "price": 12.5, "levels": [[12.4, 300]], "blob": b"\x00\x01", 7: "seven", "big": 2**64 - 1}
        return codec.cbor2.dumps(value)
    tick = {"symbol": "ACME", "price": 12.5, "volume": str(2**40), "side": "SELL", "levels": [{"price": 12.4, "size": 300}],
            "tags": {"desk": "eq"}, "raw": "AAE=", "venue": {"name": "XNAS", "open": True}}
    return codec.json_format.ParseDict(tick, codec.Tick()).SerializeToString()


async def handle(websocket):
    unpack = None
    try:
        async for message in websocket:
            if isinstance(message, bytes):
                await websocket.send(unpacked(unpack, message) if unpack else message)
            elif message in ("unpack msgpack", "unpack cbor", "unpack protobuf"):
                unpack = message.split(" ")[1]
                await websocket.send(f"unpacking {unpack}")
            elif message == "headers?":
                await websocket.send(json.dumps(request_headers(websocket)))
            elif message == "path?":
                await websocket.send(websocket.path)
            elif message == "subprotocol?":
                await websocket.send(websocket.subprotocol or "")
            elif message == "binary?":
                await websocket.send(BINARY_SAMPLE)
            elif message in ("msgpack?", "cbor?", "protobuf?"):
                await websocket.send(sample(message[:-1]))
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
