"""serve_slow_server.py: a tiny HTTP server for tests/sh/serve_browser.sh.
The first request after a GET /reset waits DELAY seconds before it is
answered (so the page that asked keeps loading, and headless Chromium's
--dump-dom waits); every other request is answered at once. Prints its port.
Usage: python3 serve_slow_server.py DELAY"""
import http.server
import sys
import threading
import time

state = {"slow": True}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with lock:
            if self.path == "/reset":
                state["slow"] = True
                wait = False
            else:
                wait, state["slow"] = state["slow"], False
        if wait:
            time.sleep(float(sys.argv[1]))
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
        except OSError:
            pass

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
