"""Socket.IO peer for the tests, written against Debian's python3-socketio (5.x, Engine.IO 4)
served by python3-aiohttp: an implementation of Socket.IO that shares no code with ours.

Namespaces "/" and "/chat" both understand:

  echo ARGS...   emits "echo" back with the same arguments; acks with the same arguments
  whoami         emits "whoami" with {"namespace": ..., "auth": ..., "query": ..., "header": ...}
                 (query: the "room" parameter, header: the X-Test request header); acks "ok"
  silent         never acks (for ack timeouts)
  kick           the server disconnects this socket

A CONNECT whose auth payload has {"token": "bad"} is refused with the data {"reason": "bad token"}.

Usage: /usr/bin/python3 py_socketio.py [--host 127.0.0.1] [--port 0]
Prints "LISTENING <port>" once ready; stops on SIGTERM, SIGINT or when stdin closes.
"""

import argparse
import asyncio
import os
import signal
import sys

try:
    import socketio
    from aiohttp import web
except ImportError:
    sys.stderr.write("py_socketio.py needs Debian's python3-socketio and python3-aiohttp\n")
    sys.exit(3)

NAMESPACES = ["/", "/chat"]


def make_server():
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
    seen = {}

    def register(namespace):
        @sio.on("connect", namespace=namespace)
        async def connect(sid, environ, auth=None):
            if isinstance(auth, dict) and auth.get("token") == "bad":
                raise socketio.exceptions.ConnectionRefusedError({"reason": "bad token"})
            query = environ.get("QUERY_STRING", "")
            room = ""
            for part in query.split("&"):
                if part.startswith("room="):
                    room = part[len("room="):]
            seen[(namespace, sid)] = {
                "namespace": namespace,
                "auth": auth,
                "query": room,
                "header": environ.get("HTTP_X_TEST", ""),
            }

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid):
            seen.pop((namespace, sid), None)

        @sio.on("echo", namespace=namespace)
        async def echo(sid, *args):
            await sio.emit("echo", tuple(args), to=sid, namespace=namespace)
            return args

        @sio.on("whoami", namespace=namespace)
        async def whoami(sid, *args):
            await sio.emit("whoami", seen.get((namespace, sid)), to=sid, namespace=namespace)
            return "ok"

        @sio.on("silent", namespace=namespace)
        async def silent(sid, *args):
            # python-socketio acks when the handler returns; this one does not for a minute.
            await asyncio.sleep(60)

        @sio.on("kick", namespace=namespace)
        async def kick(sid, *args):
            await sio.disconnect(sid, namespace=namespace)

    for namespace in NAMESPACES:
        register(namespace)
    return sio


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

    app = web.Application()
    make_server().attach(app)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, options.host, options.port)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(f"LISTENING {port}", flush=True)
    await stop
    # A graceful aiohttp shutdown waits for open WebSocket sessions; a test peer just stops.
    os._exit(0)


if __name__ == "__main__":
    asyncio.run(main())
