"""Dagster as it runs in production, on this machine's loopback: `make deploy-local` / `make deploy-stop`.

    python deploy/local.py start  [--state DIR]   # PostgreSQL, Redis, the code server, two Celery workers, the webserver, the daemon
    python deploy/local.py status [--state DIR]   # what runs, with pids and ports (exit 1 if something is down)
    python deploy/local.py stop   [--state DIR]   # stops them by their recorded pids, then PostgreSQL (pg_ctl)

Six kinds of process, each separate (the shape of a deployment on several machines, all on 127.0.0.1 here):

* **PostgreSQL** (Debian's server binaries, /usr/lib/postgresql/<version>/bin; installed with apt-get when missing
  and we are root): a cluster in `<state>/pg/data` made by initdb on the first start, listening on 127.0.0.1 only
  (its unix socket in `<state>/pg/run`), password authentication, one database `dagster` owned by the role
  `dagster`. PostgreSQL refuses to run as root: when we are root it runs as the system user `postgres` (created
  with useradd when missing; DEPLOY_PG_OS_USER picks another), which owns `<state>/pg`.
* **Redis** (Debian's `redis-server`, installed with apt-get when missing and we are root): the Celery broker and
  result backend, on 127.0.0.1, nothing saved to disk.
* **two Celery workers** (`celery -A dagster_celery.app worker --pool solo`, config deploy/dagster_celery_config.py):
  every run's steps are Celery tasks (NEWS_EXECUTOR=celery is set for the code server and so for every run), each
  executed by whichever worker is free; they import the project's code and write the warehouse file.
* **the code server** (`dagster code-server start -m pipelines.definitions`, gRPC on 127.0.0.1): the only process
  that imports the project's code; it launches each run's worker process (the run launcher of deploy/dagster.yaml).
* **dagster-webserver** (the UI and the GraphQL API on 127.0.0.1) and **dagster-daemon** (the run queue,
  schedules, run monitoring), both reading deploy/workspace.yaml, which points at the code server.

The instance is deploy/dagster.yaml, copied into `<state>/dagster_home` (DAGSTER_HOME of every process): runs,
event log and schedules in the PostgreSQL database; the credentials reach the processes as DAGSTER_PG_* variables.

State (default deploy/.state, git-ignored; --state or DEPLOY_STATE): `deploy.json` (ports, password; mode 0600),
`pids.json` (each process's pid and kernel start time, so a recycled pid is never taken for ours), `logs/`.
Ports: DEPLOY_PG_PORT, DEPLOY_WEB_PORT, DEPLOY_CODE_SERVER_PORT, DEPLOY_REDIS_PORT when set, else free ones; chosen on the first
start and kept in deploy.json. The password: DAGSTER_PG_PASSWORD when set, else a random one.
NEWS_* variables (NEWS_SOURCES, NEWS_WAREHOUSE, ...) pass through to the code server and so to every run.

`start` is idempotent: what already runs is left alone and reported; what is down is started.
"""
from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
DEFAULT_STATE = DEPLOY / ".state"
DB_NAME = "dagster"
DB_USER = "dagster"
LOCATION_NAME = "kr_smartcity_news"
# started in this order, stopped in the reverse one
SERVICES = ("redis", "code_server", "celery_worker_1", "celery_worker_2", "webserver", "daemon")
WORKERS = ("celery_worker_1", "celery_worker_2")
READY_TIMEOUT_S = float(os.environ.get("DEPLOY_READY_TIMEOUT_S", "180"))
STOP_GRACE_S = 20.0


class DeployError(RuntimeError):
    pass


def say(message: str) -> None:
    print(f"[deploy] {message}", flush=True)


# ---------------------------------------------------------------- processes

def start_ticks(pid: int) -> str | None:
    """The kernel's start time of `pid` (None when there is no such process)."""
    from pipelines.runs import process_start_ticks

    return process_start_ticks(pid)


def running(entry: dict | None) -> bool:
    """True if the recorded process (pid + start time) still exists and is not a zombie."""
    if not entry:
        return False
    pid = int(entry["pid"])
    if start_ticks(pid) != entry.get("start"):
        return False
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def record(pid: int) -> dict:
    return {"pid": pid, "start": start_ticks(pid)}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


# ---------------------------------------------------------------- state

class State:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.pg = self.root / "pg"
        self.pgdata = self.pg / "data"
        self.pgrun = self.pg / "run"
        self.pglog = self.pg / "postgres.log"
        self.home = self.root / "dagster_home"
        self.logs = self.root / "logs"
        self.config_path = self.root / "deploy.json"
        self.pids_path = self.root / "pids.json"

    def config(self) -> dict:
        """Ports and password: read from deploy.json, or chosen (environment, else free ports) and written."""
        if self.config_path.exists():
            config = json.loads(self.config_path.read_text())
            if "redis_port" not in config:  # a state made before the Celery workers: give Redis its port
                config["redis_port"] = int(os.environ.get("DEPLOY_REDIS_PORT") or free_port())
                self.config_path.write_text(json.dumps(config, indent=2))
            return config
        env = os.environ
        config = {
            "pg_port": int(env.get("DEPLOY_PG_PORT") or free_port()),
            "web_port": int(env.get("DEPLOY_WEB_PORT") or free_port()),
            "code_server_port": int(env.get("DEPLOY_CODE_SERVER_PORT") or free_port()),
            "redis_port": int(env.get("DEPLOY_REDIS_PORT") or free_port()),
            "db_name": DB_NAME,
            "db_user": DB_USER,
            "password": env.get("DAGSTER_PG_PASSWORD") or secrets.token_urlsafe(24),
        }
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.config_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(config, f, indent=2)
        return config

    def pids(self) -> dict:
        return json.loads(self.pids_path.read_text()) if self.pids_path.exists() else {}

    def save_pids(self, pids: dict) -> None:
        self.pids_path.write_text(json.dumps(pids, indent=2))


def dagster_env(state: State, config: dict) -> dict[str, str]:
    """The environment of the Dagster processes: the instance directory, the database credentials, the code
    server's port (deploy/workspace.yaml reads it), the NEWS_* settings of the caller."""
    bindir = str(Path(sys.executable).parent)
    return dict(
        os.environ,
        DAGSTER_HOME=str(state.home),
        DAGSTER_PG_HOST="127.0.0.1",
        DAGSTER_PG_PORT=str(config["pg_port"]),
        DAGSTER_PG_DB=config["db_name"],
        DAGSTER_PG_USER=config["db_user"],
        DAGSTER_PG_PASSWORD=config["password"],
        DAGSTER_CODE_SERVER_PORT=str(config["code_server_port"]),
        # the fan-out: every run's steps are Celery tasks on the Redis broker, run by the two workers
        NEWS_EXECUTOR="celery",
        NEWS_CELERY_BROKER=f"redis://127.0.0.1:{config['redis_port']}/0",
        NEWS_CELERY_BACKEND=f"redis://127.0.0.1:{config['redis_port']}/1",
        DO_NOT_TRACK="1",
        PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
    )


# ---------------------------------------------------------------- PostgreSQL

def pg_bindir() -> Path | None:
    """DEPLOY_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin holding initdb (Debian's layout)."""
    if os.environ.get("DEPLOY_PG_BIN"):
        given = Path(os.environ["DEPLOY_PG_BIN"])
        if not (given / "initdb").exists():
            raise DeployError(f"DEPLOY_PG_BIN={given} holds no initdb")
        return given
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    found.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


def apt_install(package: str, missing: str, otherwise: str) -> None:
    """Install Debian's `package` with apt-get (the only thing this script fetches) when we are root on Debian;
    else a DeployError that says what is missing and how to point at an installed copy."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise DeployError(f"{missing}: install Debian's `{package}` package, or {otherwise}")
    say(f"{missing}: installing Debian's `{package}` package with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", package], check=True, env=env)


def ensure_postgres_binaries() -> Path:
    """The PostgreSQL server's bin directory; when it is missing and we are root on Debian, apt-get installs the
    `postgresql` package first (the only thing this script fetches)."""
    bindir = pg_bindir()
    if bindir is not None:
        return bindir
    apt_install("postgresql", "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb)",
                "set DEPLOY_PG_BIN to the directory holding initdb")
    bindir = pg_bindir()
    if bindir is None:
        raise DeployError("apt-get installed `postgresql` but no /usr/lib/postgresql/*/bin/initdb appeared")
    return bindir


def pg_os_user() -> str | None:
    """The user PostgreSQL runs as: None (ourselves) unless we are root, else DEPLOY_PG_OS_USER or `postgres`,
    created as a system user when missing."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("DEPLOY_PG_OS_USER", "postgres")
    try:
        pwd.getpwnam(name)
    except KeyError:
        say(f"creating the system user {name!r} for PostgreSQL (it refuses to run as root)")
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    return name


def as_pg_user(cmd: list[str], user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--", *cmd] if user else cmd


def chown_tree(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for p in [path, *path.rglob("*")]:
        os.chown(p, entry.pw_uid, entry.pw_gid, follow_symlinks=False)


def postmaster_pid(state: State) -> int | None:
    try:
        return int((state.pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def pg_running(state: State, bindir: Path, user: str | None) -> bool:
    if not (state.pgdata / "PG_VERSION").exists():
        return False
    done = subprocess.run(as_pg_user([str(bindir / "pg_ctl"), "status", "-D", str(state.pgdata)], user),
                          capture_output=True, text=True)
    return done.returncode == 0


def start_postgres(state: State, config: dict) -> dict:
    bindir = ensure_postgres_binaries()
    user = pg_os_user()
    state.pgrun.mkdir(parents=True, exist_ok=True)
    if user:
        chown_tree(state.pg, user)
        probe = subprocess.run(as_pg_user(["test", "-w", str(state.pg)], user))
        if probe.returncode != 0:
            raise DeployError(f"the user {user!r} cannot write {state.pg}: every directory above it must be "
                              f"searchable by that user (chmod o+x), e.g. use a state directory outside /root")
    if not (state.pgdata / "PG_VERSION").exists():
        say(f"initdb {state.pgdata} (role {config['db_user']}, password authentication)")
        pwfile = state.pg / "pwfile"
        pwfile.write_text(config["password"] + "\n")
        os.chmod(pwfile, 0o600)
        if user:
            chown_tree(state.pg, user)
        try:
            subprocess.run(as_pg_user([str(bindir / "initdb"), "-D", str(state.pgdata), "-U", config["db_user"],
                                       f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--no-locale"],
                                      user), check=True, stdout=subprocess.DEVNULL)
        finally:
            pwfile.unlink(missing_ok=True)
    if pg_running(state, bindir, user):
        say(f"postgres already running (pid {postmaster_pid(state)}, 127.0.0.1:{config['pg_port']})")
    else:
        options = (f"-c listen_addresses=127.0.0.1 -c port={config['pg_port']} "
                   f"-c unix_socket_directories={state.pgrun}")
        subprocess.run(as_pg_user([str(bindir / "pg_ctl"), "start", "-D", str(state.pgdata), "-l", str(state.pglog),
                                   "-w", "-t", "60", "-o", options], user), check=True, stdout=subprocess.DEVNULL)
        say(f"postgres started (pid {postmaster_pid(state)}, 127.0.0.1:{config['pg_port']}, "
            f"{bindir.parent.name}, as {user or 'this user'})")
    create_database(config)
    pid = postmaster_pid(state)
    return record(pid) if pid else {}


def connect(config: dict, dbname: str | None = None):
    import psycopg2

    return psycopg2.connect(host="127.0.0.1", port=config["pg_port"], user=config["db_user"],
                            password=config["password"], dbname=dbname or config["db_name"], connect_timeout=10)


def create_database(config: dict) -> None:
    conn = connect(config, dbname="postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (config["db_name"],))
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{config["db_name"]}"')
                say(f"database {config['db_name']!r} created")
    finally:
        conn.close()


def stop_postgres(state: State) -> None:
    bindir = pg_bindir()
    if bindir is None or not (state.pgdata / "PG_VERSION").exists():
        return
    user = pg_os_user()
    if not pg_running(state, bindir, user):
        say("postgres not running")
        return
    pid = postmaster_pid(state)
    subprocess.run(as_pg_user([str(bindir / "pg_ctl"), "stop", "-D", str(state.pgdata), "-m", "fast", "-w",
                               "-t", "60"], user), check=True, stdout=subprocess.DEVNULL)
    say(f"postgres stopped (pid {pid})")


# ---------------------------------------------------------------- Redis (the Celery broker)

def redis_binary() -> str:
    """redis-server (DEPLOY_REDIS_SERVER, else on PATH or /usr/bin); when it is missing and we are root on Debian,
    apt-get installs the `redis-server` package first."""
    found = os.environ.get("DEPLOY_REDIS_SERVER") or shutil.which("redis-server") or \
        ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
    if found:
        return found
    apt_install("redis-server", "redis-server not found", "set DEPLOY_REDIS_SERVER to the binary")
    found = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
    if found is None:
        raise DeployError("apt-get installed `redis-server` but no redis-server binary appeared")
    return found


def wait_redis(state: State, config: dict, pids: dict) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        check_alive(state, pids, ("redis",))
        try:
            with socket.create_connection(("127.0.0.1", config["redis_port"]), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise DeployError(f"redis is not answering PING after 30 s:\n{log_tail(state, 'redis')}")


def wait_worker(state: State, name: str, pids: dict) -> None:
    """Until the worker logs that it is ready (connected to the broker, consuming the `dagster` queue)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        check_alive(state, pids, (name,))
        if " ready." in log_tail(state, name, 20000):
            return
        time.sleep(0.5)
    raise DeployError(f"{name} is not ready after {READY_TIMEOUT_S:.0f} s:\n{log_tail(state, name)}")


# ---------------------------------------------------------------- Dagster processes

def service_command(name: str, config: dict) -> list[str]:
    bindir = Path(sys.executable).parent
    workspace = str(DEPLOY / "workspace.yaml")
    if name == "redis":
        redis_dir = Path(config["state_root"]) / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        # loopback only, no snapshot on disk (the queue is transient: a lost task is re-run, see
        # deploy/dagster_celery_config.py), in the foreground so that its pid is ours
        return [redis_binary(), "--bind", "127.0.0.1", "--port", str(config["redis_port"]), "--protected-mode", "yes",
                "--daemonize", "no", "--save", "", "--appendonly", "no", "--dir", str(redis_dir)]
    if name in WORKERS:
        # one process per worker (the `solo` pool runs the step in the worker itself), one step at a time, named
        # so that the event log shows which worker ran a step ("Celery worker": celery_worker_1@host)
        return [str(bindir / "celery"), "-A", "dagster_celery.app", "worker", "--pool", "solo", "--concurrency", "1",
                "-n", f"{name}@%h", "-Q", "dagster", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
    if name == "code_server":
        return [str(bindir / "dagster"), "code-server", "start", "-h", "127.0.0.1", "-p", str(config["code_server_port"]),
                "-m", "pipelines.definitions", "-d", str(REPO), "--location-name", LOCATION_NAME]
    if name == "webserver":
        return [str(bindir / "dagster-webserver"), "-w", workspace, "-h", "127.0.0.1", "-p", str(config["web_port"])]
    if name == "daemon":
        return [str(bindir / "dagster-daemon"), "run", "-w", workspace]
    raise ValueError(name)


def spawn(name: str, state: State, config: dict, env: dict[str, str]) -> dict:
    """Start one service detached (its own session, so `stop` ends it and its children by its pid's group)."""
    state.logs.mkdir(parents=True, exist_ok=True)
    with (state.logs / f"{name}.log").open("ab") as log:
        if name in WORKERS:  # the workers read deploy/dagster_celery_config.py
            env = dict(env, PYTHONPATH=os.pathsep.join(p for p in (str(DEPLOY), env.get("PYTHONPATH")) if p))
        proc = subprocess.Popen(service_command(name, dict(config, state_root=str(state.root))), cwd=REPO, env=env,
                                stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return record(proc.pid)


def log_tail(state: State, name: str, chars: int = 3000) -> str:
    try:
        return (state.logs / f"{name}.log").read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def graphql(port: int, query: str) -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", method="POST",
                                 data=json.dumps({"query": query}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


READY_QUERY = """{
  workspaceOrError { ... on Workspace { locationEntries { name loadStatus
      locationOrLoadError { __typename ... on PythonError { message } } } } }
  instance { daemonHealth { allDaemonStatuses { daemonType healthy required } } }
}"""


def check_alive(state: State, pids: dict, names: tuple[str, ...] = SERVICES) -> None:
    for name in names:
        if name in pids and not running(pids[name]):
            raise DeployError(f"{name} exited; its log ({state.logs / (name + '.log')}):\n{log_tail(state, name)}")


def wait_code_server(state: State, config: dict, pids: dict, env: dict[str, str]) -> None:
    """Until the code server answers gRPC health checks as SERVING (`dagster api grpc-health-check`), so that
    the webserver and the daemon find it loaded."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    check = [str(Path(sys.executable).parent / "dagster"), "api", "grpc-health-check", "-h", "127.0.0.1",
             "-p", str(config["code_server_port"])]
    while time.monotonic() < deadline:
        check_alive(state, pids, ("code_server",))
        if port_open(config["code_server_port"]):
            done = subprocess.run(check, env=env, capture_output=True, text=True, timeout=60)
            if done.returncode == 0:
                return
        time.sleep(1)
    raise DeployError(f"the code server is not serving after {READY_TIMEOUT_S:.0f} s:\n{log_tail(state, 'code_server')}")


def wait_ready(state: State, config: dict, pids: dict) -> None:
    """Until the code server accepts connections, the webserver has loaded the code location from it and the
    daemon's required loops report healthy (all through the webserver's GraphQL API)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    last = "nothing yet"
    while time.monotonic() < deadline:
        check_alive(state, pids)
        if not port_open(config["code_server_port"]):
            last = "code server port not open"
        else:
            try:
                data = graphql(config["web_port"], READY_QUERY)["data"]
            except (OSError, ValueError, KeyError, TypeError) as e:
                last = f"webserver: {type(e).__name__}: {e}"
            else:
                entries = data["workspaceOrError"].get("locationEntries") or []
                daemons = data["instance"]["daemonHealth"]["allDaemonStatuses"]
                errors = [e for e in entries if e["loadStatus"] == "LOADED"
                          and e["locationOrLoadError"]["__typename"] != "RepositoryLocation"]
                loaded = bool(entries) and all(e["loadStatus"] == "LOADED" for e in entries)
                healthy = all(d["healthy"] for d in daemons if d["required"])
                if errors:  # the code server was serving before the webserver started: this is the code's error
                    raise DeployError("the code location failed to load: "
                                      + errors[0]["locationOrLoadError"].get("message", "")[:3000])
                if loaded and not errors and healthy:
                    return
                last = (f"locations {[(e['name'], e['loadStatus']) for e in entries]}, "
                        f"unhealthy daemons {[d['daemonType'] for d in daemons if d['required'] and not d['healthy']]}"
                        + (f", load error {errors[0]['locationOrLoadError'].get('message', '')[:500]}" if errors else ""))
        time.sleep(1)
    raise DeployError(f"not ready after {READY_TIMEOUT_S:.0f} s ({last}); logs in {state.logs}")


# ---------------------------------------------------------------- commands

def start(state: State) -> int:
    config = state.config()
    state.home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DEPLOY / "dagster.yaml", state.home / "dagster.yaml")
    pids = state.pids()
    pids["postgres"] = start_postgres(state, config)
    state.save_pids(pids)
    env = dagster_env(state, config)
    started = []
    for name in SERVICES:
        if running(pids.get(name)):
            say(f"{name} already running (pid {pids[name]['pid']})")
            continue
        if name == "webserver" and port_open(config["web_port"]) or \
                name == "code_server" and port_open(config["code_server_port"]) or \
                name == "redis" and port_open(config["redis_port"]):
            raise DeployError(f"the port of {name} is taken by another process (deploy.json in {state.root})")
        pids[name] = spawn(name, state, config, env)
        started.append(name)
        state.save_pids(pids)
        say(f"{name} started (pid {pids[name]['pid']}, log {state.logs / (name + '.log')})")
        if name == "redis":
            wait_redis(state, config, pids)
        if name == "code_server":
            wait_code_server(state, config, pids, env)
    for name in WORKERS:
        if name in started:
            wait_worker(state, name, pids)
    wait_ready(state, config, pids)
    if not started:
        say("everything was already running")
    say(f"ready: UI http://127.0.0.1:{config['web_port']}  code server 127.0.0.1:{config['code_server_port']}  "
        f"postgres 127.0.0.1:{config['pg_port']}/{config['db_name']}  redis 127.0.0.1:{config['redis_port']}  "
        f"celery workers {', '.join(WORKERS)}  DAGSTER_HOME={state.home}")
    return 0


def status(state: State) -> int:
    if not state.config_path.exists():
        say(f"nothing deployed in {state.root}")
        return 1
    config = state.config()
    pids = state.pids()
    up = True
    for name in ("postgres", *SERVICES):
        alive = running(pids.get(name))
        up &= alive
        say(f"{name:16s} {'running' if alive else 'down':8s} pid {pids.get(name, {}).get('pid', '-')}")
    say(f"UI http://127.0.0.1:{config['web_port']}  code server 127.0.0.1:{config['code_server_port']}  "
        f"postgres 127.0.0.1:{config['pg_port']}  redis 127.0.0.1:{config.get('redis_port', '-')}")
    return 0 if up else 1


def stop(state: State) -> int:
    pids = state.pids()
    for name in reversed(SERVICES):
        entry = pids.get(name)
        if not running(entry):
            say(f"{name} not running")
            continue
        pid = int(entry["pid"])
        # the service leads its own process group (start_new_session): its children (the code server's loader
        # and run workers) go with it
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + (STOP_GRACE_S if sig == signal.SIGTERM else 5)
            while running(entry) and time.monotonic() < deadline:
                time.sleep(0.2)
            if not running(entry):
                break
        say(f"{name} stopped (pid {pid})")
    stop_postgres(state)
    if state.pids_path.exists():
        state.pids_path.unlink()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("start", "status", "stop"))
    parser.add_argument("--state", type=Path, default=Path(os.environ.get("DEPLOY_STATE") or DEFAULT_STATE),
                        help="state directory (default deploy/.state; DEPLOY_STATE)")
    args = parser.parse_args(argv)
    state = State(args.state)
    try:
        return {"start": start, "status": status, "stop": stop}[args.command](state)
    except DeployError as e:
        print(f"[deploy] error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
