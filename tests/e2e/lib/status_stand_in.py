"""A stand-in for the parts of GitLab's and GitHub's REST APIs that
`chaosgate run|merge --status gitlab|github` call, for tests/e2e/status_publish.sh.
Loopback only; standard library only; stops on SIGTERM.

    status_stand_in.py --port PORT --log FILE [--gitlab-token T] [--github-token T] [--fail CODE]

Every request is appended to FILE as one JSON line: method, path (with the
query), headers (names lower-cased), body (parsed JSON, or the raw text when it
is not JSON), and the answer given (status, body). The test truncates FILE
between scenarios; each line is written with its own open/append/close.

It checks what it receives the way the real APIs would refuse it:
  - authentication: GitLab `PRIVATE-TOKEN: <gitlab token>`, GitHub
    `Authorization: Bearer <github token>`, else 401;
  - a request body must be a JSON object sent as `Content-Type: application/json`, else 400;
  - GitLab statuses: state in pending|running|success|failed|canceled, a name,
    a description of at most 255 characters, pipeline_id an integer, else 400;
  - GitHub statuses: state in error|failure|pending|success, a context, a
    description of at most 140 characters, else 422;
  - unknown paths answer 404.

GitLab:
  POST /api/v4/projects/:id/statuses/:sha                        201, the status echoed
  GET  /api/v4/projects/:id/merge_requests/:iid/notes?page=N     the notes, newest first (all on
                                                                 page 1, none after; X-Next-Page: "")
  POST /api/v4/projects/:id/merge_requests/:iid/notes            201 {"id", "body", "system": false}
  PUT  /api/v4/projects/:id/merge_requests/:iid/notes/:note_id   200, the body replaced (404 unknown id)
Every merge request starts with two notes a publisher must NOT take for its own:
a user's note quoting the chaosgate marker (not at the start of its body) and a
system note starting with it. Notes it creates get ids from 100 on.

GitHub:
  POST /repos/:owner/:repo/statuses/:sha                         201, the status echoed

--fail CODE: every request (logged as usual) answers CODE with a GitLab-style
{"message": ...} body and no Retry-After (with --retry-after SECONDS: that one).

--hang SECONDS: every request is logged as it arrives (status "held") and
answered only SECONDS later, as an API that accepts connections but stalls.
"""
import argparse
import http.server
import json
import re
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--gitlab-token", default="")
parser.add_argument("--github-token", default="")
parser.add_argument("--fail", type=int, default=0)
parser.add_argument("--retry-after", type=int, default=0)
parser.add_argument("--hang", type=float, default=0)
options = parser.parse_args()

MARKER_QUOTE = "<!-- chaosgate:chaosgate/staging -->"
lock = threading.Lock()
notes = {}  # (project, iid) -> list of note dicts, oldest first
next_note_id = [100]
clock = [0]  # a counter standing in for updated_at

GITLAB_STATUS = re.compile(r"^/api/v4/projects/([^/]+)/statuses/([^/]+)$")
GITLAB_NOTES = re.compile(r"^/api/v4/projects/([^/]+)/merge_requests/(\d+)/notes$")
GITLAB_NOTE = re.compile(r"^/api/v4/projects/([^/]+)/merge_requests/(\d+)/notes/(\d+)$")
GITHUB_STATUS = re.compile(r"^/repos/([^/]+)/([^/]+)/statuses/([^/]+)$")


def append_to_log(record):
    with open(options.log, "a") as log:
        log.write(json.dumps(record) + "\n")


def tick():
    clock[0] += 1
    return clock[0]


def notes_of(project, iid):
    key = (urllib.parse.unquote(project), iid)
    if key not in notes:
        notes[key] = [
            {"id": 1, "body": "Looks good. The bot's note starts with " + MARKER_QUOTE + " fwiw.",
             "system": False, "updated": tick()},
            {"id": 2, "body": MARKER_QUOTE + "\n\nmentioned in commit abc123 (a system note)",
             "system": True, "updated": tick()},
        ]
    return notes[key]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def do_PATCH(self):
        self.handle_any()

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        headers = {name.lower(): value for name, value in self.headers.items()}
        record = {"method": self.command, "path": self.path, "headers": headers, "body": body}
        if options.hang:
            with lock:
                append_to_log(dict(record, status="held"))
            time.sleep(options.hang)
        with lock:
            status, answer, extra = self.route(headers, raw, body)
            append_to_log(dict(record, status=status, response=answer))
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def route(self, headers, raw, body):
        if options.fail:
            asked = {"Retry-After": str(options.retry_after)} if options.retry_after else {}
            return options.fail, {"message": "%d stand-in is failing on purpose" % options.fail}, asked
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        path = url.path
        method = self.command

        if path.startswith("/api/v4/"):
            if not options.gitlab_token or headers.get("private-token") != options.gitlab_token:
                return 401, {"message": "401 Unauthorized"}, {}
        elif path.startswith("/repos/"):
            if not options.github_token or headers.get("authorization") != "Bearer " + options.github_token:
                return 401, {"message": "Bad credentials"}, {}
        else:
            return 404, {"message": "404 Not Found"}, {}

        if method in ("POST", "PUT"):
            if not headers.get("content-type", "").startswith("application/json"):
                return 400, {"message": "Content-Type must be application/json"}, {}
            if not isinstance(body, dict):
                return 400, {"message": "body is not a JSON object: " + raw[:200]}, {}

        match = GITLAB_STATUS.match(path)
        if match and method == "POST":
            problems = []
            if body.get("state") not in ("pending", "running", "success", "failed", "canceled"):
                problems.append("state is invalid")
            if not isinstance(body.get("name"), str) or not body.get("name"):
                problems.append("name is missing")
            if len(body.get("description", "")) > 255:
                problems.append("description is too long (maximum is 255 characters)")
            if "pipeline_id" in body and not isinstance(body["pipeline_id"], int):
                problems.append("pipeline_id is invalid")
            if problems:
                return 400, {"message": "; ".join(problems)}, {}
            echo = dict(body)
            echo.update({"id": tick(), "sha": urllib.parse.unquote(match.group(2)), "status": body["state"]})
            return 201, echo, {}

        match = GITLAB_NOTES.match(path)
        if match and method == "GET":
            page = query.get("page", ["1"])[0]
            held = sorted(notes_of(match.group(1), match.group(2)), key=lambda n: n["updated"], reverse=True)
            listed = [{"id": n["id"], "body": n["body"], "system": n["system"]} for n in held] if page == "1" else []
            return 200, listed, {"X-Next-Page": "", "X-Page": page, "X-Per-Page": query.get("per_page", ["20"])[0]}
        if match and method == "POST":
            if not isinstance(body.get("body"), str) or not body["body"]:
                return 400, {"message": {"note": ["can't be blank"]}}, {}
            note = {"id": next_note_id[0], "body": body["body"], "system": False, "updated": tick()}
            next_note_id[0] += 1
            notes_of(match.group(1), match.group(2)).append(note)
            return 201, {"id": note["id"], "body": note["body"], "system": False}, {}

        match = GITLAB_NOTE.match(path)
        if match and method == "PUT":
            if not isinstance(body.get("body"), str) or not body["body"]:
                return 400, {"message": {"note": ["can't be blank"]}}, {}
            for note in notes_of(match.group(1), match.group(2)):
                if note["id"] == int(match.group(3)):
                    if note["system"]:
                        return 403, {"message": "403 Forbidden"}, {}
                    note["body"] = body["body"]
                    note["updated"] = tick()
                    return 200, {"id": note["id"], "body": note["body"], "system": False}, {}
            return 404, {"message": "404 Note Not Found"}, {}

        match = GITHUB_STATUS.match(path)
        if match and method == "POST":
            errors = []
            if body.get("state") not in ("error", "failure", "pending", "success"):
                errors.append({"resource": "Status", "field": "state", "code": "invalid"})
            if not isinstance(body.get("context"), str) or not body.get("context"):
                errors.append({"resource": "Status", "field": "context", "code": "missing_field"})
            if len(body.get("description", "")) > 140:
                errors.append({"resource": "Status", "code": "custom", "field": "description",
                               "message": "description is too long (maximum is 140 characters)"})
            if errors:
                return 422, {"message": "Validation Failed", "errors": errors}, {}
            echo = dict(body)
            echo.update({"id": tick(), "url": self.path})
            return 201, echo, {}

        return 404, {"message": "404 Not Found"}, {}


server = http.server.ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
server.daemon_threads = True
server.serve_forever()
