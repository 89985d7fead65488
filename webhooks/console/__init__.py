"""What the officer consoles share: the council console (`webhooks.council`) and the health
worker console (`webhooks.workers`) are two sub-applications with their own accounts, cookies and
pages, but one way of signing in and of guarding a session.

- `keys`: the console config and the request keys every console's requests carry.
- `security`: cookies, redirects, security headers, CSRF, and the session middleware made for a
  console by `session_middleware(console)`, where a `Console` names its cookies and its accounts.
- `sign_in`: the sign-in, sign-out and language views, the same for every console.
- `app`: a console's sub-application made (`console_app`) and mounted (`mount`).
- `pages`: the Jinja2 environment, the context every page gets, and the error-page middleware;
  `templates/console_base.html` is the page frame each console's `base.html` extends;
  `sign_in.html` and `error.html` are the same for every console.
"""
