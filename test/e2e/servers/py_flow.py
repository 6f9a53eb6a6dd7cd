"""WebSocket peer for the flow tests, written against Debian's python3-websockets (10.4): a tiny
login protocol whose answers a flow has to capture and send back, so captures are tested against
a server we did not write in JavaScript.

  {"op": "login", "user": NAME}     replies {"type": "welcome", "token": <random hex>}, after a
                                    {"type": "noise"} message the flow has to pass over
  {"op": "whoami", "token": TOKEN}  replies {"type": "me", "user": NAME} for a token it issued;
                                    for any other token closes with 4001 "bad token"
  "burst N"                         sends "msg 0" ... "msg N-1"
  anything else                     no answer

Usage: /usr/bin/python3 py_flow.py [--host 127.0.0.1] [--port 0]
Prints "LISTENING <port>" once ready; stops on SIGTERM, SIGINT or when stdin closes.
"""

import argparse
import asyncio
import json
import secrets
import signal
import sys

try:
    import websockets
except ImportError:
    sys.stderr.write("py_flow.py needs Debian's python3-websockets: apt-get install python3-websockets\n")
    sys.exit(3)

TOKENS = {}


async def handle(websocket):
    try:
        async for message in websocket:
            if isinstance(message, bytes):
                continue
            if message.startswith("burst "):
                for i in range(int(message.split(" ", 1)[1])):
                    await websocket.send(f"msg {i}")
                continue
            try:
                request = json.loads(message)
            except ValueError:
                continue
            if not isinstance(request, dict):
                continue
            if request.get("op") == "login":
                token = secrets.token_hex(8)
                TOKENS[token] = str(request.get("user", ""))
                await websocket.send(json.dumps({"type": "noise"}))
                await websocket.send(json.dumps({"type": "welcome", "token": token}))
            elif request.get("op") == "whoami":
                user = TOKENS.get(request.get("token"))
                if user is None:
                    await websocket.close(4001, "bad token")
                else:
                    await websocket.send(json.dumps({"type": "me", "user": user}))
    except websockets.ConnectionClosed:
        pass


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    options = parser.parse_args()

    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    # The parent holds our stdin open; when it dies without signalling us, stdin closes.
    loop.add_reader(sys.stdin.fileno(), lambda: sys.stdin.buffer.read1(4096) or (stop.done() or stop.set_result(None)))

    async with websockets.serve(handle, options.host, options.port) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"LISTENING {port}", flush=True)
        await stop


if __name__ == "__main__":
    asyncio.run(main())
