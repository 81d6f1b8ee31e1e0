#!/usr/bin/python3
"""run.py: run the HTTP end-to-end tests against a real `parley serve`.

  /usr/bin/python3 tests/http/run.py [--binary build/parley] [-k SUBSTRING]

Every tests/http/test_*.py module is one group. A module may set
  DEMO = True | False       site made with `parley init --demo` (default True)
  CONF = {"comments": {...}} settings written into parley.conf
  SERVER = False            no shared server: tests get an Env and start
                            their own servers (env.server(...))
and defines test_*(srv) functions, run in source order against one server
started for the module. After the last test the server gets SIGTERM; a
non-zero exit status or a sanitizer report on its stderr is one more
failing case, "MODULE.server_shutdown".

Prints "ok NAME" or "FAIL NAME: reason" per case and, as the last line,
"N passed, N failed"; exits 1 if anything failed.
"""

import argparse
import importlib.util
import inspect
import os
import signal
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402

CASE_TIMEOUT = 90  # seconds; a hung case fails instead of hanging the run


class CaseTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise CaseTimeout("case took longer than %ds" % CASE_TIMEOUT)


class Env:
    """What tests of a SERVER = False module get: the binary and a way to
    start servers that are stopped (and checked) at the end."""

    def __init__(self, binary):
        self.binary = binary
        self.servers = []

    def server(self, demo=True, conf=None, name="env", start=True):
        s = harness.Server(self.binary, demo=demo, conf=conf, name=name)
        self.servers.append(s)
        if start:
            s.start()
        return s

    def finish(self):
        problems = []
        for s in self.servers:
            if s.alive():
                problems += s.stop()
            else:
                rep = s.sanitizer_report()
                if rep:
                    problems.append("sanitizer report on stderr:\n" + rep)
            s.cleanup()
        self.servers = []
        return problems


def one_line(s, limit=600):
    s = " | ".join(x.strip() for x in str(s).strip().splitlines()
                   if x.strip())
    return s if len(s) <= limit else s[:limit] + " ..."


def load(path):
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return name, mod


def tests_of(mod):
    fns = [f for n, f in vars(mod).items()
           if n.startswith("test_") and inspect.isfunction(f) and
           f.__module__ == mod.__name__]
    return sorted(fns, key=lambda f: f.__code__.co_firstlineno)


class Runner:
    def __init__(self, binary, pattern, verbose):
        self.binary = binary
        self.pattern = pattern
        self.verbose = verbose
        self.passed = 0
        self.failed = 0

    def ok(self, name):
        self.passed += 1
        print("ok " + name, flush=True)

    def fail(self, name, reason, limit=600):
        self.failed += 1
        print("FAIL %s: %s" % (name, one_line(reason, limit)), flush=True)

    def run_module(self, path):
        try:
            mname, mod = load(path)
        except Exception as e:
            self.fail(os.path.basename(path), "cannot load: %r" % e)
            return
        cases = [f for f in tests_of(mod)
                 if not self.pattern or self.pattern in
                 "%s.%s" % (mname, f.__name__)]
        if not cases:
            return
        shared = getattr(mod, "SERVER", True)
        srv = None
        env = None
        if shared:
            srv = harness.Server(self.binary,
                                 demo=getattr(mod, "DEMO", True),
                                 conf=getattr(mod, "CONF", None),
                                 name=mname)
            try:
                signal.alarm(CASE_TIMEOUT)
                srv.start()
                if hasattr(mod, "setup"):
                    mod.setup(srv)
            except BaseException as e:
                signal.alarm(0)
                if isinstance(e, KeyboardInterrupt):
                    raise
                for f in cases:
                    self.fail("%s.%s" % (mname, f.__name__),
                              "server start failed: %s" % e)
                srv.stop()
                srv.cleanup()
                return
            finally:
                signal.alarm(0)
        else:
            env = Env(self.binary)
        crashes = []
        for f in cases:
            name = "%s.%s" % (mname, f.__name__)
            t0 = time.time()
            try:
                signal.alarm(CASE_TIMEOUT)
                f(srv if shared else env)
                signal.alarm(0)
                if srv is not None and not srv.alive():
                    raise harness.TestFailure("server died during the case")
                self.ok(name)
            except KeyboardInterrupt:
                raise
            except BaseException as e:
                signal.alarm(0)
                if isinstance(e, (AssertionError, CaseTimeout)):
                    reason = str(e) or "assertion failed"
                    if not str(e):
                        tb = traceback.extract_tb(e.__traceback__)
                        reason += " at line %d: %s" % (tb[-1].lineno,
                                                       tb[-1].line)
                else:
                    tb = traceback.extract_tb(e.__traceback__)
                    where = next((fr for fr in reversed(tb)
                                  if os.path.basename(fr.filename)
                                  .startswith("test_")), tb[-1])
                    reason = "%s: %s (%s line %d)" % (
                        type(e).__name__, e, os.path.basename(where.filename),
                        where.lineno)
                if srv is not None and not srv.alive():
                    reason += " -- server exit %s, stderr: %s" % (
                        srv.proc.returncode, srv.stderr_tail(2000))
                self.fail(name, reason)
                if self.verbose:
                    traceback.print_exc()
            finally:
                signal.alarm(0)
            if self.verbose:
                print("   (%.2fs)" % (time.time() - t0))
            # A dead server is a failure of the group (reported at its
            # end); restart it on the same site so later cases still run.
            if srv is not None and not srv.alive():
                rep = harness.sanitizer_report(srv.stderr_text())
                crashes.append("server died during %s (exit %s)%s" % (
                    f.__name__, srv.proc.returncode,
                    (": " + rep) if rep else ""))
                try:
                    srv.start()
                except Exception as e:
                    crashes.append("could not restart: %s" % e)
                    for rest in cases[cases.index(f) + 1:]:
                        self.fail("%s.%s" % (mname, rest.__name__),
                                  "server could not be restarted")
                    break
        # Group end: SIGTERM, exit 0, no sanitizer report.
        if env is not None:
            problems = env.finish()
        else:
            problems = crashes + (srv.stop() if srv.alive() else [])
            srv.cleanup()
        name = "%s.server_shutdown" % mname
        if problems:
            self.fail(name, "; ".join(problems), limit=3000)
        else:
            self.ok(name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(harness.ROOT,
                                                     "build/parley"))
    ap.add_argument("-k", dest="pattern", default="",
                    help="run only cases whose MODULE.NAME contains this")
    ap.add_argument("-v", dest="verbose", action="store_true")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    signal.signal(signal.SIGALRM, _alarm)
    r = Runner(binary, args.pattern, args.verbose)
    if not os.access(binary, os.X_OK):
        r.fail("setup", "%s is not an executable (build it first)" % binary)
    else:
        for fn in sorted(os.listdir(HERE)):
            if fn.startswith("test_") and fn.endswith(".py"):
                r.run_module(os.path.join(HERE, fn))
    print("%d passed, %d failed" % (r.passed, r.failed), flush=True)
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
