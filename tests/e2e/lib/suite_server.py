"""A small HTTP server for suite-source tests: serves a directory, answers
/slow by never answering in time, /big with an oversize body, and records the
Authorization header it saw in a file. Loopback only; stops on SIGTERM."""
import http.server, os, sys, time

root, port, seen = sys.argv[1], int(sys.argv[2]), sys.argv[3]

class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **kw):
        super().__init__(*a, directory=root, **kw)

    def log_message(self, *args):
        pass

    def do_GET(self):
        with open(seen, "a") as f:
            f.write("%s %s\n" % (self.path, self.headers.get("Authorization", "-")))
        if self.path == "/slow":
            time.sleep(30)
            return
        if self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "application/yaml")
            self.end_headers()
            chunk = b"# padding\n" * 100000
            try:
                for _ in range(30):  # 30 MB
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        super().do_GET()

http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
