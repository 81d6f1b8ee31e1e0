"""Login rate limits: per account (5 failures in 15 minutes) and per IP
(20), refused before the password is even checked, with one clear
message whether the login exists or not; Secure cookies on https."""

from adminlib import PASSWORDS, make_users, try_login, AdminClient
from harness import check

SERVER = False


def limit_text(r):
    e = r.html().find(cls="form-error")
    return e.norm_text() if e else ""


def test_account_and_ip_limits(env):
    srv = env.server(demo=False, name="login")
    make_users(srv)
    # Five wrong passwords lock the account...
    for i in range(5):
        r = try_login(AdminClient(srv), "ada", "wrong-%d" % i)
        check(r.status == 200, "failure %d: %d" % (i, r.status))
    r = try_login(AdminClient(srv), "ada", PASSWORDS["ada"])
    check(r.status == 429, "right password after 5 failures: %d" % r.status)
    msg = limit_text(r)
    check("Too many failed login attempts" in msg and "minute" in msg,
          "message: %r" % msg)
    check(r.header("Retry-After") is not None, "no Retry-After")
    check(not r.header_all("Set-Cookie"), "locked account got a session")
    # ...not the others.
    r = try_login(AdminClient(srv), "eddie", PASSWORDS["eddie"])
    check(r.status == 303, "another account is locked too: %d" % r.status)
    # A login that does not exist behaves exactly the same.
    for i in range(5):
        r = try_login(AdminClient(srv), "ghost", "wrong-%d" % i)
        check(r.status == 200, "ghost failure %d: %d" % (i, r.status))
    r = try_login(AdminClient(srv), "ghost", "anything")
    check(r.status == 429 and limit_text(r) == msg,
          "unknown login: %d %r" % (r.status, limit_text(r)))
    # The IP's budget: 20 failures from one address, whatever the names.
    for i in range(10):
        try_login(AdminClient(srv), "user%d" % i, "wrong")
    r = try_login(AdminClient(srv), "ann", PASSWORDS["ann"])
    check(r.status == 429, "21st attempt from one IP: %d" % r.status)


def test_secure_cookie_on_https(env):
    # The site says it is reached over https (a TLS proxy in front).
    srv = env.server(demo=False, name="https", conf={
        "site": {"base_url": "https://blog.example"}})
    make_users(srv, ["ada"])
    r = try_login(AdminClient(srv), "ada", PASSWORDS["ada"])
    check(r.status == 303, "login: %d" % r.status)
    sc = [x for x in r.header_all("Set-Cookie")
          if x.startswith("parley_session=")][0]
    check("; Secure" in sc, "no Secure on an https site: %s" % sc)
