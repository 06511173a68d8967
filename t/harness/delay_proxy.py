"""A TCP relay that holds each connection's first request for `delay` seconds before passing
it on to a real server: the slow identity provider of the "nginx is never blocked" tests.
Runs on its own asyncio loop in a thread of the test process."""

from __future__ import annotations

import asyncio
import threading

from .service import free_port


class DelayProxy:
    def __init__(self, target_host: str, target_port: int, delay: float):
        self.target = (target_host, target_port)
        self.delay = delay
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server = None

    def start(self) -> None:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        started.result(timeout=5)

    def stop(self) -> None:
        async def close():
            self._server.close()
            # Relays still waiting out their delay end now, not with the loop.
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)
            await self._server.wait_closed()
        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    async def _listen(self):
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)

    async def _relay(self, client_reader, client_writer):
        self.connections += 1
        try:
            first = await client_reader.read(65536)
            await asyncio.sleep(self.delay)
            server_reader, server_writer = await asyncio.open_connection(*self.target)
            server_writer.write(first)
            await asyncio.gather(self._pipe(client_reader, server_writer),
                                 self._pipe(server_reader, client_writer))
        except (ConnectionError, OSError):
            pass
        finally:
            client_writer.close()

    @staticmethod
    async def _pipe(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()
